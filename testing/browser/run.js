#!/usr/bin/env node
// Runs wasm test suites in headless Chromium through the harness page and
// fails if any test fails.
//
//   node run.js [options] BINARY...
//
// BINARY: a wasm32 test binary (`bazel build --config=wasm` output: one .js
// file). The page and the binaries are served by serve.js on loopback,
// unless --base-url points at a server that already serves the page and a
// suites.json (e.g. the library's own HTTP server).
//
// Options:
//   --out DIR         where to save harness.png and summary.json
//                     (default: $TEST_UNDECLARED_OUTPUTS_DIR, else ./browser-out)
//   --base-url URL    use that server instead of serve.js
//   --timeout SEC     per suite (default 300)
//   --arg ARG         passed to every suite, e.g. --arg=--gtest_filter=Str.*
//   --chromium PATH   the browser (default /usr/bin/chromium)
//
// Chromium comes from Debian; playwright-core (npm) only drives it and never
// downloads a browser. Exit status: 0 all passed, 1 a test or suite failed,
// 2 usage or setup error.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { serve } = require('./serve.js');

// As root in a container Chromium needs --no-sandbox; the rest keeps it
// from reaching for the (closed) network.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function parseArgs(argv) {
  const o = {
    out: process.env.TEST_UNDECLARED_OUTPUTS_DIR || 'browser-out',
    baseUrl: null,
    timeout: 300,
    args: [],
    chromium: '/usr/bin/chromium',
    files: [],
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v = null;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      v = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = () => (v !== null ? v : argv[++i]);
    if (a === '--out') o.out = value();
    else if (a === '--base-url') o.baseUrl = value();
    else if (a === '--timeout') o.timeout = Number(value());
    else if (a === '--arg') o.args.push(value());
    else if (a === '--chromium') o.chromium = value();
    else if (a === '-h' || a === '--help') o.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.files.push(a);
  }
  return o;
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`run.js: ${e.message}`);
    return 2;
  }
  if (o.help || (!o.baseUrl && o.files.length === 0)) {
    console.error('usage: node run.js [--out DIR] [--base-url URL] [--timeout SEC] ' +
      '[--arg ARG] [--chromium PATH] BINARY...');
    return 2;
  }
  for (const f of o.files) {
    if (!fs.existsSync(f)) {
      console.error(`run.js: no such test binary: ${f}`);
      return 2;
    }
  }
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    console.error('run.js: playwright-core is missing: run `npm ci` in testing/browser');
    return 2;
  }

  let server = null;
  let base = o.baseUrl;
  if (!base) {
    const s = await serve(o.files);
    server = s.server;
    base = s.url;
  }
  if (!base.endsWith('/')) base += '/';
  fs.mkdirSync(o.out, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-chromium-'));
  let context = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: o.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1200, height: 900 },
    });
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('[mg] ')) console.log(text.slice(5));
    });
    page.on('pageerror', (err) => console.log(`page error: ${err.message}`));

    const q = new URLSearchParams({ timeout: String(o.timeout) });
    for (const a of o.args) q.append('arg', a);
    const started = Date.now();
    await page.goto(`${base}index.html?${q}`);
    const suites = Math.max(o.files.length, 1);
    try {
      await page.waitForFunction(() => window.mgTestSummary && window.mgTestSummary.done,
        null, { timeout: (o.timeout * suites + 60) * 1000, polling: 250 });
    } catch (e) {
      console.log(`the harness page did not finish: ${e.message.split('\n')[0]}`);
      return 1;
    }
    const summary = await page.evaluate(() => window.mgTestSummary);

    const shot = path.join(o.out, 'harness.png');
    await page.screenshot({ path: shot, fullPage: true });
    fs.writeFileSync(path.join(o.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');

    console.log('');
    for (const s of summary.suites) {
      console.log(`${s.status === 'passed' ? 'PASSED' : 'FAILED'}  ${s.name}  ` +
        `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped` +
        (s.reason ? `  (${s.reason})` : ''));
    }
    const total = summary.passed + summary.failed + summary.skipped;
    console.log(`chromium: ${summary.suites.length} suites, ${total} tests: ` +
      `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s); screenshot ${shot}`);
    return summary.failed === 0 && summary.suitesFailed === 0 && total > 0 ? 0 : 1;
  } finally {
    if (context) await context.close();
    if (server) server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(`run.js: ${err.stack || err}`);
  process.exit(2);
});

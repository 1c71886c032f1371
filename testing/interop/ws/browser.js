// Headless Chromium against our server: node browser.js URL [PAGES]
// Opens URL (a page served by our library) in PAGES tabs (default 1) and
// calls the page's window.runTest(tabIndex, tabCount); prints its JSON
// results, one line per tab, then "OK" if each resolved, else "FAIL: why".
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function main() {
  const url = process.argv[2];
  const tabs = Number(process.argv[3] || 1);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-ws-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.MG_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
  });
  let ok = true;
  try {
    const pages = [];
    for (let i = 0; i < tabs; i++) {
      const page = i === 0 && context.pages()[0] ? context.pages()[0] : await context.newPage();
      page.on('pageerror', (err) => console.log(`page error: ${err.message}`));
      page.on('console', (m) => console.log(`console[${i}]: ${m.text()}`));
      await page.goto(url);
      pages.push(page);
    }
    // A page may say when it is ready (the chat: its WebSocket is open).
    for (const p of pages) {
      await p.waitForFunction(() => !window.ready || window.ready(), null, { timeout: 30000 });
    }
    const results = await Promise.all(pages.map((p, i) =>
      p.evaluate(([k, n]) => window.runTest(k, n), [i, tabs]).catch((e) => ({ error: e.message }))));
    for (const r of results) {
      console.log(JSON.stringify(r));
      if (r.error) ok = false;
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(ok ? 'OK' : 'FAIL: a page reported an error');
  return ok ? 0 : 1;
}

const timer = setTimeout(() => {
  console.log('FAIL: timed out');
  process.exit(1);
}, 90000);
main().then((rc) => {
  clearTimeout(timer);
  process.exit(rc);
}, (e) => {
  console.log('FAIL: ' + (e.stack || e));
  process.exit(1);
});

// The harness page: runs each wasm test suite in turn (each in its own
// Web Worker, see suite_worker.js), shows every test's result and publishes a
// machine-readable summary in `window.mgTestSummary`:
//
//   {done, passed, failed, skipped,          // test counts over all suites
//    suitesPassed, suitesFailed,
//    suites: [{name, status, exitCode, reason, passed, failed, skipped, ms}],
//    tests:  [{suite, name, status, ms}]}    // status: passed|failed|skipped
//
// Which suites: `?suite=URL` (repeatable; the name is the URL's path), or
// else the list that the server gives at suites.json ([{name, url}]).
// Other parameters: `timeout=SECONDS` per suite (default 300), `arg=ARG`
// (repeatable) passed to every suite, e.g. arg=--gtest_filter=Str.*.
// Progress also goes to the console as lines starting with "[mg] ", which
// is what run.js prints.
'use strict';

(function () {
  const params = new URLSearchParams(location.search);
  const timeoutMs = 1000 * Number(params.get('timeout') || 300);
  const extraArgs = params.getAll('arg');

  const summary = {
    done: false,
    passed: 0,
    failed: 0,
    skipped: 0,
    suitesPassed: 0,
    suitesFailed: 0,
    suites: [],
    tests: [],
  };
  window.mgTestSummary = summary;

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function showTotals() {
    const t = document.getElementById('totals');
    const state = summary.done ? 'done' : 'running';
    t.textContent = `${state}: ${summary.suites.length} suites ` +
      `(${summary.suitesPassed} passed, ${summary.suitesFailed} failed), ` +
      `${summary.passed + summary.failed + summary.skipped} tests ` +
      `(${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped)`;
    t.className = summary.failed || summary.suitesFailed ? 'failed' : summary.done ? 'passed' : '';
  }

  // One suite's view and GoogleTest output parser.
  function SuiteView(name) {
    this.record = { name, status: 'pending', exitCode: null, reason: '',
      passed: 0, failed: 0, skipped: 0, ms: 0 };
    this.tests = new Map();
    this.current = null;
    this.section = el('section', 'suite pending');
    this.title = el('h2', null, name);
    this.counts = el('span', 'counts', ' pending');
    this.title.appendChild(this.counts);
    this.list = el('ul', 'tests');
    const details = el('details');
    details.appendChild(el('summary', null, 'output'));
    this.output = el('pre', 'output');
    details.appendChild(this.output);
    this.section.append(this.title, this.list, details);
    document.getElementById('suites').appendChild(this.section);
  }

  SuiteView.prototype.line = function (line, stream) {
    this.output.appendChild(document.createTextNode(line + '\n'));
    if (this.current) this.current.log.push(line);
    if (stream !== 'stdout') return;
    // "[ RUN      ] Suite.Name", "[       OK ] Suite.Name (3 ms)",
    // "[  FAILED  ] Suite.Name (3 ms)", "[  SKIPPED ] Suite.Name (0 ms)".
    // Not anchored: a test's output without a final newline runs into the
    // line that ends it.
    const m = /\[ *(RUN|OK|FAILED|SKIPPED) *\] ([^ ,]+)(?:.*?\((\d+) ms\))?/.exec(line);
    if (!m) return;
    const [, tag, test, ms] = m;
    if (tag === 'RUN') {
      this.current = this.start(test);
      return;
    }
    const t = this.tests.get(test);
    if (!t || t.status !== 'running') return;  // the final FAILED list
    this.end(t, tag === 'OK' ? 'passed' : tag === 'FAILED' ? 'failed' : 'skipped',
      Number(ms || 0));
  };

  SuiteView.prototype.start = function (test) {
    const t = { suite: this.record.name, name: test, status: 'running', ms: 0, log: [] };
    t.item = el('li', 'test running', test);
    this.list.appendChild(t.item);
    this.tests.set(test, t);
    return t;
  };

  SuiteView.prototype.end = function (t, status, ms) {
    t.status = status;
    t.ms = ms;
    t.item.className = 'test ' + status;
    t.item.textContent = `${t.name} (${ms} ms)`;
    if (status === 'failed') {
      t.item.appendChild(el('pre', 'log', t.log.join('\n')));
    }
    this.record[status]++;
    summary[status]++;
    summary.tests.push({ suite: t.suite, name: t.name, status: t.status, ms: t.ms });
    this.current = null;
    this.counts.textContent =
      ` ${this.record.passed} passed, ${this.record.failed} failed, ${this.record.skipped} skipped`;
    showTotals();
  };

  SuiteView.prototype.exit = function (code, reason, ms) {
    // A test that was still running when the program ended crashed it.
    if (this.current) {
      this.current.log.push(`(the program ended here: ${reason || 'exit status ' + code})`);
      this.end(this.current, 'failed', 0);
    }
    const r = this.record;
    r.exitCode = code;
    r.reason = reason || (code === 0 ? '' : `exit status ${code}`);
    r.ms = ms;
    r.status = code === 0 && r.failed === 0 && r.passed + r.skipped > 0 ? 'passed' : 'failed';
    if (r.status === 'failed' && !r.reason) r.reason = 'no tests ran';
    this.section.className = 'suite ' + r.status;
    this.counts.textContent += r.reason ? ` (${r.reason})` : '';
    if (r.status === 'passed') summary.suitesPassed++;
    else summary.suitesFailed++;
    console.log(`[mg] ${r.status === 'passed' ? 'PASS' : 'FAIL'} ${r.name}: ` +
      `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${ms} ms` +
      (r.reason ? ` (${r.reason})` : ''));
    for (const t of this.tests.values()) {
      if (t.status === 'failed') console.log(`[mg]   failed: ${t.name}\n` + t.log.join('\n'));
    }
  };

  function runSuite(s) {
    const view = new SuiteView(s.name);
    summary.suites.push(view.record);
    view.record.status = 'running';
    view.section.className = 'suite running';
    const started = Date.now();
    return new Promise((resolve) => {
      const q = new URLSearchParams({ src: s.url });
      for (const a of extraArgs) q.append('arg', a);
      const worker = new Worker('suite_worker.js?' + q.toString());
      const done = (code, reason) => {
        clearTimeout(timer);
        worker.terminate();
        view.exit(code, reason, Date.now() - started);
        resolve();
      };
      const timer = setTimeout(() => done(124, `timed out after ${timeoutMs / 1000} s`), timeoutMs);
      worker.onmessage = (ev) => {
        const m = ev.data;
        if (m.type === 'exit') done(m.code, m.reason);
        else view.line(m.line, m.type);
      };
      worker.onerror = (ev) => {
        ev.preventDefault();
        done(1, 'worker error: ' + ev.message);
      };
    });
  }

  async function suiteList() {
    const urls = params.getAll('suite');
    if (urls.length) {
      return urls.map((url) => ({
        name: url.replace(/^\/?(suites\/)?/, '').replace(/\.js$/, ''),
        url: new URL(url, location.href).href,
      }));
    }
    const res = await fetch('suites.json', { cache: 'no-store' });
    if (!res.ok) throw new Error(`suites.json: HTTP ${res.status}`);
    return (await res.json()).map((s) => ({ name: s.name, url: new URL(s.url, location.href).href }));
  }

  async function main() {
    let suites = [];
    try {
      suites = await suiteList();
    } catch (e) {
      console.log(`[mg] cannot get the suite list: ${e}`);
    }
    console.log(`[mg] ${suites.length} suites`);
    showTotals();
    for (const s of suites) await runSuite(s);
    summary.done = true;
    if (suites.length === 0) summary.suitesFailed = 1;  // nothing ran: not a pass
    showTotals();
    console.log(`[mg] done: ${summary.passed} passed, ${summary.failed} failed, ` +
      `${summary.skipped} skipped in ${summary.suites.length} suites`);
  }

  main();
})();

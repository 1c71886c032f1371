// Runs one Emscripten-built GoogleTest binary in a Web Worker and reports
// its output and exit status to the page (harness.js) with postMessage:
// {type: 'stdout' | 'stderr' | 'exit', line, code, reason}.
//
// suite_worker.js?src=URL[&arg=ARG...]. The binary is a single .js file (the
// wasm32 toolchain links with -sSINGLE_FILE=1 -sEXIT_RUNTIME=1): it reads
// the global `Module` set up here, runs main() once loaded and calls
// Module.onExit with main's status. A worker, not the page itself, so that
// the page can stop a suite that hangs (Worker.terminate()).
'use strict';

(function () {
  const params = new URLSearchParams(self.location.search);
  const src = params.get('src');
  let finished = false;

  function finish(code, reason) {
    if (finished) return;
    finished = true;
    self.postMessage({ type: 'exit', code: code, reason: reason || '' });
  }

  self.Module = {
    arguments: ['--gtest_color=no'].concat(params.getAll('arg')),
    print: (line) => self.postMessage({ type: 'stdout', line: String(line) }),
    printErr: (line) => self.postMessage({ type: 'stderr', line: String(line) }),
    onExit: (code) => finish(code),
    onAbort: (what) => finish(134, 'aborted: ' + what),
  };

  // After onExit, Emscripten ends the program by throwing ExitStatus; any
  // other uncaught error means the program died.
  self.addEventListener('error', (ev) => {
    const err = ev.error;
    if (err && err.name === 'ExitStatus') {
      ev.preventDefault();
      finish(err.status);
      return;
    }
    finish(1, 'uncaught error: ' + (ev.message || err));
  });

  if (!src) {
    finish(2, 'no src= parameter');
    return;
  }
  try {
    self.importScripts(src);
  } catch (e) {
    if (e && e.name === 'ExitStatus') finish(e.status);
    else finish(127, `cannot run ${src}: ${e}`);
  }
})();

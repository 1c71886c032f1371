#!/usr/bin/env node
// A small static server for the harness page and the wasm test binaries.
// It stands in until the library's own HTTP server can serve the harness
// (the page needs nothing but static files).
//
//   node serve.js [--host H] [--port N] BINARY...
//
// serves this folder's page at /, each BINARY (an Emscripten -sSINGLE_FILE
// test "binary", i.e. a .js file, possibly without the extension) at
// /suites/NAME.js, and the list at /suites.json. NAME is the binary's path
// below a bazel-out/.../bin/ folder (e.g. testing/smoke/smoke_test), or its
// file name. Used as a module by run.js.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

const PAGE_FILES = {
  '/index.html': 'text/html; charset=utf-8',
  '/harness.js': 'text/javascript; charset=utf-8',
  '/suite_worker.js': 'text/javascript; charset=utf-8',
  '/harness.css': 'text/css; charset=utf-8',
};

// The suite name of a test binary path.
function suiteName(file) {
  const norm = file.split(path.sep).join('/');
  const m = /(?:^|\/)bin\/(.+)$/.exec(norm);
  return (m ? m[1] : path.basename(norm)).replace(/\.js$/, '');
}

// [{name, file, url}] for the given binaries; names are made unique.
function suitesOf(files) {
  const seen = new Set();
  return files.map((file) => {
    let name = suiteName(file);
    for (let i = 2; seen.has(name); i++) name = `${suiteName(file)}~${i}`;
    seen.add(name);
    return { name, file: path.resolve(file), url: `suites/${name}.js` };
  });
}

function createServer(suites) {
  const byUrl = new Map(suites.map((s) => ['/' + s.url, s.file]));
  const list = JSON.stringify(suites.map((s) => ({ name: s.name, url: s.url })));
  return http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, 'text/plain', 'method not allowed\n');
    }
    if (url === '/') {
      res.writeHead(302, { Location: '/index.html' });
      return res.end();
    }
    if (url === '/suites.json') return send(200, 'application/json', list);
    let file = null;
    let type = 'text/javascript; charset=utf-8';
    if (PAGE_FILES[url]) {
      file = path.join(__dirname, url);
      type = PAGE_FILES[url];
    } else if (byUrl.has(url)) {
      file = byUrl.get(url);
    }
    if (!file) return send(404, 'text/plain', 'not found\n');
    fs.readFile(file, (err, data) => {
      if (err) return send(500, 'text/plain', String(err) + '\n');
      send(200, type, data);
    });
  });
}

// Starts a server; resolves to {server, url}.
function serve(files, { host = '127.0.0.1', port = 0 } = {}) {
  const suites = suitesOf(files);
  const server = createServer(suites);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address();
      resolve({ server, suites, url: `http://${host}:${a.port}/` });
    });
  });
}

module.exports = { serve, suitesOf, suiteName };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opts = {};
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--host') opts.host = args[++i];
    else if (args[i] === '--port') opts.port = Number(args[++i]);
    else files.push(args[i]);
  }
  serve(files, opts).then(({ url, suites }) => {
    console.log(`serving ${suites.length} suites at ${url}index.html`);
  }, (err) => {
    console.error(`serve.js: ${err.message}`);
    process.exit(1);
  });
}

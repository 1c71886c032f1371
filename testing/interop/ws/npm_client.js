// The npm `ws` client against our server: node npm_client.js URL
// Echoes text and binary messages of 0 B to 1 MiB, a fragmented message, a
// ping answered with a pong, a negotiated subprotocol, then a close whose
// status comes back. Prints "OK" and exits 0, or "FAIL: why" and exits 1.
'use strict';
const WebSocket = require('ws');

const url = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 30000);

function fail(why) {
  console.log('FAIL: ' + why);
  process.exit(1);
}

function pattern(n, text) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = text ? 97 + (i % 26) : (i * 31 + 7) & 255;
  return b;
}

async function main() {
  const ws = new WebSocket(url, ['echo.v1']);
  const queue = [];
  let waiter = null;
  ws.on('message', (data, isBinary) => {
    const m = { data: Buffer.from(data), isBinary };
    if (waiter) {
      const w = waiter;
      waiter = null;
      w(m);
    } else {
      queue.push(m);
    }
  });
  const next = () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => { waiter = r; }));
  ws.on('error', (e) => fail('error: ' + e.message));
  await new Promise((r) => ws.once('open', r));
  if (ws.protocol !== 'echo.v1') fail('protocol: ' + ws.protocol);
  for (const n of [0, 1, 125, 126, 127, 65535, 65536, 1 << 20]) {
    for (const text of [true, false]) {
      const p = pattern(n, text);
      ws.send(text ? p.toString() : p, { binary: !text });
      const m = await next();
      if (m.isBinary === text || !m.data.equals(p)) fail(`echo of ${n} bytes (${text ? 'text' : 'binary'})`);
    }
  }
  ws.send('κόσμε 😀');
  const u = await next();
  if (u.data.toString() !== 'κόσμε 😀') fail('utf-8 text');
  // A fragmented message: three frames.
  ws.send('frag-', { fin: false });
  ws.send('men-', { fin: false });
  ws.send('ted', { fin: true });
  const f = await next();
  if (f.data.toString() !== 'frag-men-ted') fail('fragmented: ' + f.data.toString());
  const pong = new Promise((r) => ws.once('pong', r));
  ws.ping('hello?');
  const pd = await pong;
  if (pd.toString() !== 'hello?') fail('pong payload');
  const closed = new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
  ws.close(4001, 'bye');
  const c = await closed;
  if (c.code !== 4001) fail('close code ' + c.code);
  clearTimeout(deadline);
  console.log('OK');
}

main().catch((e) => fail(e.stack || String(e)));

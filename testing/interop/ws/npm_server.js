// The npm `ws` package as an echo server: node npm_server.js [PORT]
// Listens on 127.0.0.1 (a free port when PORT is 0 or absent) and prints
// "PORT n". Echoes every message with its type; picks the subprotocol
// "echo.v1" when offered; a text message "ping-me" makes it ping the
// client (it prints "PONG payload" when the pong arrives), "close-me" makes
// it close with 4002; it prints "CLOSE code" for closes the client starts.
// Used by the interop test and by tools/bench ws.
'use strict';
const WebSocket = require('ws');

const wss = new WebSocket.Server({
  host: '127.0.0.1',
  port: Number(process.argv[2] || 0),
  maxPayload: 64 * 1024 * 1024,
  perMessageDeflate: false,
  handleProtocols: (protocols) => (protocols.has('echo.v1') ? 'echo.v1' : false),
});
wss.on('listening', () => console.log('PORT ' + wss.address().port));
wss.on('connection', (ws, req) => {
  if (req.headers.authorization) console.log('AUTH ' + req.headers.authorization);
  ws.on('message', (data, isBinary) => {
    if (!isBinary && data.toString() === 'ping-me') {
      ws.ping('from-ws');
      return;
    }
    if (!isBinary && data.toString() === 'close-me') {
      ws.close(4002, 'server says bye');
      return;
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('pong', (d) => console.log('PONG ' + d.toString()));
  ws.on('close', (code) => console.log('CLOSE ' + code));
});

// The npm `mqtt` package (MQTT.js) over WebSocket against our broker:
// node npm_ws_client.js WS_PORT TCP_PORT
// A client on ws://127.0.0.1:WS_PORT/mqtt (subprotocol "mqtt") subscribes
// and receives what a client on the broker's TCP listener publishes (QoS 0
// and 1, a payload that needs a 64-bit frame length), then publishes at
// QoS 2 to the TCP client. Prints "OK" and exits 0, or prints what went
// wrong and exits 1. Bounded by a 15 s deadline.
'use strict';
const mqtt = require('mqtt');

const wsUrl = 'ws://127.0.0.1:' + process.argv[2] + '/mqtt';
const tcpUrl = 'mqtt://127.0.0.1:' + process.argv[3];
const deadline = setTimeout(() => fail('timed out'), 15000);

function fail(why) {
  console.log('FAIL: ' + why);
  process.exit(1);
}

function connect(url, opts) {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, Object.assign({ reconnectPeriod: 0, protocolVersion: 4 }, opts));
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

function collect(c, n, topicPrefix) {
  return new Promise((resolve) => {
    const got = [];
    c.on('message', function h(topic, payload, packet) {
      if (!topic.startsWith(topicPrefix)) return;
      got.push({ topic, payload: payload.toString(), qos: packet.qos });
      if (got.length === n) {
        c.removeListener('message', h);
        resolve(got);
      }
    });
  });
}

async function main() {
  const web = await connect(wsUrl, { clientId: 'npm-ws' });
  if (web.stream.protocol !== undefined && web.stream.protocol !== 'mqtt') {
    fail('subprotocol ' + web.stream.protocol);
  }
  const granted = await web.subscribeAsync({ 'to/ws/#': { qos: 1 } });
  if (granted.map((g) => g.qos).join() !== '1') fail('granted ' + JSON.stringify(granted));
  const tcp = await connect(tcpUrl, { clientId: 'npm-tcp' });
  await tcp.subscribeAsync({ 'to/tcp': { qos: 2 } });

  const big = 'b'.repeat(100000);
  const arriving = collect(web, 3, 'to/ws/');
  await tcp.publishAsync('to/ws/0', 'zero', { qos: 0 });
  await tcp.publishAsync('to/ws/1', 'one', { qos: 1 });
  await tcp.publishAsync('to/ws/big', big, { qos: 1 });
  const got = (await arriving).sort((a, b) => a.topic.localeCompare(b.topic));
  const seen = got.map((m) => `${m.topic}=${m.payload.length}/${m.qos}`).join();
  if (seen !== 'to/ws/0=4/0,to/ws/1=3/1,to/ws/big=100000/1') fail('got ' + seen);
  if (got[0].payload !== 'zero' || got[1].payload !== 'one' || got[2].payload !== big) {
    fail('payloads differ');
  }

  const back = collect(tcp, 1, 'to/tcp');
  await web.publishAsync('to/tcp', 'from ws', { qos: 2 });
  const b = (await back)[0];
  if (b.payload !== 'from ws' || b.qos !== 2) fail('back ' + JSON.stringify(b));

  for (const c of [web, tcp]) await c.endAsync();
  clearTimeout(deadline);
  console.log('OK');
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));

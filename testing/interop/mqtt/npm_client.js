// The npm `mqtt` package (MQTT.js) against our broker: node npm_client.js PORT
// QoS 0/1/2 round trips, a retained message delivered to a later client,
// a will published when a client vanishes. Prints "OK" and exits 0, or
// prints what went wrong and exits 1. Bounded by a 15 s deadline.
'use strict';
const mqtt = require('mqtt');

const url = 'mqtt://127.0.0.1:' + process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 15000);

function fail(why) {
  console.log('FAIL: ' + why);
  process.exit(1);
}

function connect(opts) {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, Object.assign({ reconnectPeriod: 0, protocolVersion: 4 }, opts));
    c.once('connect', (ack) => resolve([c, ack]));
    c.once('error', reject);
  });
}

function once(c, n, topicPrefix) {
  return new Promise((resolve) => {
    const got = [];
    c.on('message', function h(topic, payload, packet) {
      if (!topic.startsWith(topicPrefix)) return;
      got.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain });
      if (got.length === n) {
        c.removeListener('message', h);
        resolve(got);
      }
    });
  });
}

async function main() {
  const [sub] = await connect({ clientId: 'npm-sub', clean: true });
  const granted = await sub.subscribeAsync({ 'n/0': { qos: 0 }, 'n/1': { qos: 1 }, 'n/2': { qos: 2 }, 'will/#': { qos: 1 } });
  if (granted.map((g) => g.qos).join() !== '0,1,2,1') fail('granted ' + JSON.stringify(granted));
  const [pub] = await connect({ clientId: 'npm-pub' });
  const arriving = once(sub, 3, 'n/');
  await pub.publishAsync('n/0', 'zero', { qos: 0 });
  await pub.publishAsync('n/1', 'one', { qos: 1 });
  await pub.publishAsync('n/2', 'two', { qos: 2 });
  const got = (await arriving).sort((a, b) => a.topic.localeCompare(b.topic));
  const want = 'n/0=zero/0,n/1=one/1,n/2=two/2';
  const seen = got.map((m) => `${m.topic}=${m.payload}/${m.qos}`).join();
  if (seen !== want) fail('got ' + seen);

  await pub.publishAsync('r/npm', 'kept', { qos: 1, retain: true });
  const [late] = await connect({ clientId: 'npm-late' });
  const retained = once(late, 1, 'r/');
  await late.subscribeAsync('r/#', { qos: 1 });
  const r = (await retained)[0];
  if (r.payload !== 'kept' || !r.retain) fail('retained ' + JSON.stringify(r));

  const [mortal] = await connect({ clientId: 'npm-mortal', keepalive: 5, will: { topic: 'will/npm', payload: 'bye', qos: 1 } });
  const will = once(sub, 1, 'will/');
  mortal.stream.destroy(); // vanish without DISCONNECT
  const w = (await will)[0];
  if (w.payload !== 'bye') fail('will ' + JSON.stringify(w));

  await pub.publishAsync('r/npm', '', { qos: 0, retain: true }); // clean up
  for (const c of [sub, pub, late]) await c.endAsync();
  mortal.end(true);
  clearTimeout(deadline);
  console.log('OK');
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));

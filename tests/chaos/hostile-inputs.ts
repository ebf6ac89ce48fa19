// What the chaos run throws at the stack: malformed provider messages and hostile WebSocket frames.
import WebSocket from 'ws';

/** One malformed provider message (the `i`th sent), picked with `random`. */
export function garbage(random: () => number, i: number): string {
  const kinds = [
    '{',
    'null',
    '[]',
    '{"stream":"chaosusdt@trade","data":{"e":"trade"}}',
    '{"stream":"chaosusdt@trade","data":{"e":"trade","s":"CHAOSUSDT","t":-1,"p":"abc","q":"1","T":0,"m":true}}',
    '{"stream":"chaosusdt@trade","data":{"e":"trade","s":"CHAOSUSDT","t":1,"p":"NaN","q":"-5","T":1,"m":false}}',
    `{"stream":"x@trade","data":${i}}`,
    '\u0000\u0001',
    '{"stream":"chaosusdt@trade","data":{"e":"trade","s":"OTHER","t":5,"p":"1","q":"1","T":1,"m":true}}',
  ];
  return kinds[Math.floor(random() * kinds.length)] as string;
}

export async function hostileFrames(url: string, random: () => number): Promise<void> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('error', () => resolve());
  });
  if (ws.readyState !== ws.OPEN) return;
  const frames = [
    'not json',
    '{"type":"subscribe"}',
    JSON.stringify({ type: 'subscribe', channel: 'bars', contract_id: 'x'.repeat(5_000) }),
    '{"type":"nope"}',
    'x'.repeat(100_000),
  ];
  for (let i = 0; i < 60; i++) ws.send(frames[Math.floor(random() * frames.length)] as string);
  ws.send(Buffer.from([1, 2, 3]));
  await new Promise((r) => setTimeout(r, 100));
  ws.terminate();
}

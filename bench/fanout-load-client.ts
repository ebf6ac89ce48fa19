// bench:fanout's two kinds of client behind one opening: `ws` (what browsers' libraries cost) and
// raw sockets (fanout-raw-client.ts: a real handshake, frames read by their header, far less CPU a
// message). Each opens, subscribes, waits for every `subscribed` answer, then hands over each text
// message as a byte range.
import { WebSocket } from 'ws';
import { type OnText, RawWebSocketClient } from './fanout-raw-client.ts';

export type ClientKind = 'raw' | 'ws';
export const CLIENT_KINDS: readonly ClientKind[] = ['raw', 'ws'];

export interface LoadClient {
  /** Cuts the connection (no close handshake): the bench is done with it. */
  terminate(): void;
  /** Runs `listener` once when the connection ends. */
  whenClosed(listener: () => void): void;
}

/** Opens a client of `kind`, sends `subscriptions` (JSON subscribe messages) and resolves once each
 * was answered `subscribed`; text messages after that go to `onText`. */
export async function openSubscribed(kind: ClientKind, url: string, subscriptions: readonly object[], onText: OnText): Promise<LoadClient> {
  let acks = 0;
  let acked: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => {
    acked = resolve;
  });
  const SUBSCRIBED = Buffer.from('"subscribed"');
  let deliver: OnText = (data, start, end) => {
    if (data.subarray(start, end).includes(SUBSCRIBED) && ++acks === subscriptions.length) {
      deliver = onText;
      acked();
    }
  };
  const onAny: OnText = (data, start, end) => deliver(data, start, end);
  const client = kind === 'raw' ? await RawWebSocketClient.open(url, onAny) : await openWs(url, onAny);
  const texts = subscriptions.map((s) => JSON.stringify(s));
  for (const text of texts) client.send(text);
  await subscribed;
  return client;
}

async function openWs(url: string, onText: OnText): Promise<LoadClient & { send(text: string): void }> {
  // skipUTF8Validation: the server is ours; the load generator should not measure itself.
  const socket = new WebSocket(url, { skipUTF8Validation: true, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('message', (data: Buffer) => onText(data, 0, data.length));
  socket.on('error', () => undefined);
  return {
    send: (text) => socket.send(text),
    terminate: () => socket.terminate(),
    whenClosed: (listener) => socket.once('close', listener),
  };
}

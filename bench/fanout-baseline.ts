// Child process of bench:fanout: the origin's broadcaster design as a baseline — parse each NOTIFY,
// then for every client scan its subscription list and send JSON.stringify(message) (serialized
// and UTF-8-encoded once per client), no backpressure. Env: DATABASE_URL, WEBSOCKET_PORT.
import pg from 'pg';
import { WebSocketServer } from 'ws';

interface Subscription {
  channel: string;
  contract_id: string;
  timeframe?: string;
}
interface Client {
  send(data: string): void;
  subscriptions: Subscription[];
}

const UNIT_SUFFIX: Record<number, string> = { 1: 's', 2: 'm', 3: 'h', 4: 'd', 5: 'w', 6: 'mo' };
const clients = new Set<Client>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.WEBSOCKET_PORT), perMessageDeflate: false });
wss.on('connection', (socket) => {
  const client: Client = { send: (data) => socket.send(data), subscriptions: [] };
  clients.add(client);
  socket.on('message', (data: Buffer) => {
    const m = JSON.parse(String(data)) as Subscription & { type: string };
    if (m.type === 'subscribe') client.subscriptions.push({ channel: m.channel, contract_id: m.contract_id, timeframe: m.timeframe });
    socket.send(JSON.stringify({ type: 'subscribed', channel: m.channel, contract_id: m.contract_id, timeframe: m.timeframe }));
  });
  socket.on('close', () => clients.delete(client));
  socket.on('error', () => undefined);
});

function wants(client: Client, channel: string, message: Record<string, unknown>): boolean {
  if (client.subscriptions.length === 0) return true;
  return client.subscriptions.some(
    (s) =>
      s.channel === channel &&
      s.contract_id === message.contract_id &&
      (s.timeframe === undefined || s.timeframe === `${String(message.timeframe_value)}${UNIT_SUFFIX[message.timeframe_unit as number]}`),
  );
}

const CHANNEL_OF: Record<string, string> = { ohlc_update: 'bars', tick_data_channel: 'ticks', signal_detected: 'signals' };
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
await listener.connect();
listener.on('notification', (n) => {
  const message = JSON.parse(n.payload ?? '{}') as Record<string, unknown>;
  const channel = CHANNEL_OF[n.channel] ?? '';
  for (const client of clients) if (wants(client, channel, message)) client.send(JSON.stringify(message));
});
await listener.query('LISTEN ohlc_update; LISTEN tick_data_channel; LISTEN signal_detected');
process.send?.({ type: 'ready' });

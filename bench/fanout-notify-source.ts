// Child process of bench:fanout: the NOTIFY source, in its own process so that pacing and building
// payloads take neither the broadcaster's nor the clients' CPU. IPC: ready → {run} → {done, sent}.
import pg from 'pg';
import { notifySource, payloadMaker } from './fanout-harness.ts';

interface Run {
  readonly type: 'run';
  readonly rate: number;
  readonly seconds: number;
}

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const make = payloadMaker(process.env.FANOUT_CONTRACT as string);
// One run at a time: the parent awaits each `done`.
process.on('message', (m: Run | { type: 'exit' }) => {
  if (m.type === 'exit') {
    void client.end().finally(() => process.exit(0));
    return;
  }
  notifySource(client, make, m.rate, m.seconds).then(
    (sent) => process.send?.({ type: 'done', sent }),
    (err: unknown) => {
      console.error('notify source failed:', err);
      process.exit(1);
    },
  );
});
process.send?.({ type: 'ready' });

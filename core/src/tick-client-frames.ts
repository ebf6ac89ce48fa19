// The WebSocket client messages a tick_data_channel payload stands for: one TickBatchMessage JSON a
// contract, in the clients' unchanged format (ISO times with microseconds), whichever form the
// payload came in. Made once per payload, whatever the number of clients it goes to.
import { isoFromMicros, type TickColumns, type TickNotifyPayload } from './schemas/tick.ts';

export interface TickClientFrame {
  readonly contractId: string;
  readonly json: string;
}

const SIDE_JSON: Readonly<Record<string, string>> = { b: '"buy"}', s: '"sell"}', u: '"unknown"}' };

/** Each contract's client message, in order; `raw` is the payload's text (a single-contract payload
 * is already a client message and goes out as written). */
export function tickClientFrames(payload: TickNotifyPayload, raw: string): TickClientFrame[] {
  if (payload.type === 'tick_columns') return payload.contracts.map((c) => ({ contractId: c.contract_id, json: columnsJson(c) }));
  if (!('contracts' in payload)) return [{ contractId: payload.contract_id, json: raw }];
  return payload.contracts.map((c) => ({ contractId: c.contract_id, json: JSON.stringify({ type: 'ticks', ...c }) }));
}

/** `JSON.stringify(tickColumnsBatch(c))`, written directly: no object a tick. */
function columnsJson(c: TickColumns): string {
  const pieces: string[] = [`{"type":"ticks","contract_id":${JSON.stringify(c.contract_id)},"ticks":[`];
  let micros = c.t0;
  for (let i = 0; i < c.dt.length; i++) {
    micros += c.dt[i] as number;
    pieces.push(
      `${i > 0 ? ',' : ''}{"timestamp":"${isoFromMicros(micros)}","price":${c.p[i] as number},"volume":${c.q[i] as number},"side":${SIDE_JSON[c.s.charAt(i)] ?? '"unknown"}'}`,
    );
  }
  pieces.push(']}');
  return pieces.join('');
}

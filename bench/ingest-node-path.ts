// node --import tsx bench/ingest-node-path.ts — the ingest pipeline's Node work per tick with no database: a provider
// batch's Trade objects made (as a parser does), validated, passed by the jump guard, moving the market
// clock, aggregated into every configured timeframe and buffered (IngestPipeline.onTrades' order), then per
// flush the bars closed and drained, the tick COPY encoded with its NOTIFY payloads, the bars' upsert
// parameters and ohlc_update payloads made (IngestFlusher and writeFlush's Node side). What is left out is
// the database client's protocol work, the same before and after a change here.
// On a loaded machine bench:ingest's "Node CPU of the pipeline process" swings by ±1 µs a tick from run to
// run; this runs in one thread and prints the process CPU per tick of the best and the median of several
// repetitions, and is small enough to run under `valgrind --tool=callgrind` (instructions per tick: the
// difference of a run with --ticks N and one with --ticks 0, over N).
// Flags: --ticks N (per contract count, default 200,000), --contracts 1,10,100, --reps R (default 7),
// --flush-ticks F (ticks per flush, default 5,000), --gap-ms G (default 200), --trade-ids digits|tape|none
// (default digits: each trade carries a venue id made as a parser makes it, `String(n)` — Binance, Coinbase;
// tape: a letter before the digits, as Alpaca's stock trades; none: no id, as bench:ingest's frames).
import { parseArgs } from 'node:util';
import {
  BarAggregator,
  calendarFor,
  type ContractBar,
  parseTimeframe,
  TickPayloadBuilder,
  toOhlcMessage,
  type Trade,
} from '../core/src/index.ts';
import { loadConfig } from '../core/src/node/load-config.ts';
import { barUpsertColumns } from '../ingester/src/bar-upsert-columns.ts';
import { MarketClock } from '../ingester/src/market-clock.ts';
import { PendingBars } from '../ingester/src/pending-bars.ts';
import { StreamJumpGuard } from '../ingester/src/stream-jump-guard.ts';
import { TickBuffer } from '../ingester/src/tick-buffer.ts';
import { tickCopyChunks } from '../ingester/src/tick-copy.ts';
import { rejectReason } from '../ingester/src/trade-validator.ts';
import { takeTicks } from './lib/market-ticks.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';

const { values: flags } = parseArgs({
  options: {
    ticks: { type: 'string', default: '200000' },
    contracts: { type: 'string', default: '1,10,100' },
    reps: { type: 'string', default: '7' },
    'flush-ticks': { type: 'string', default: '5000' },
    'gap-ms': { type: 'string', default: '200' },
    'trade-ids': { type: 'string', default: 'digits' },
  },
});
const TICKS = Number(flags.ticks);
const REPS = Number(flags.reps);
const FLUSH_TICKS = Number(flags['flush-ticks']);
const GAP_MS = Number(flags['gap-ms']);
const TRADE_IDS = flags['trade-ids'];
if (TRADE_IDS !== 'digits' && TRADE_IDS !== 'tape' && TRADE_IDS !== 'none')
  throw new Error(`--trade-ids: '${TRADE_IDS}' is not digits, tape or none`);
/** Where the bench's venue ids start (a 10-digit id, as Binance's and Coinbase's are now). */
const FIRST_ID = 3_000_000_000;
/** A 64 KiB pipe read of bench:ingest's 40-byte frames. */
const BATCH = 1_638;
const START = Date.parse('2026-01-05T14:30:00Z');

const { settings } = loadConfig();
const first = settings.contracts.find((c) => c.id === settings.ingester.contracts[0]);
if (!first) throw new Error('config: ingester.contracts[0] is not among contracts');
const calendar = calendarFor(settings, first);
const timeframes = settings.ingester.timeframes.map((t) => parseTimeframe(t));

interface Columns {
  readonly ids: string[];
  readonly contract: Uint32Array;
  readonly time: Float64Array;
  readonly price: Float64Array;
  readonly volume: Float64Array;
  readonly buy: Uint8Array;
}

function columnsOf(trades: readonly Trade[]): Columns {
  const ids: string[] = [];
  const index = new Map<string, number>();
  const n = trades.length;
  const cols: Columns = {
    ids,
    contract: new Uint32Array(n),
    time: new Float64Array(n),
    price: new Float64Array(n),
    volume: new Float64Array(n),
    buy: new Uint8Array(n),
  };
  trades.forEach((t, i) => {
    let c = index.get(t.contractId);
    if (c === undefined) index.set(t.contractId, (c = ids.push(t.contractId) - 1));
    cols.contract[i] = c;
    cols.time[i] = t.time;
    cols.price[i] = t.price;
    cols.volume[i] = t.volume;
    cols.buy[i] = t.side === 'buy' ? 1 : 0;
  });
  return cols;
}

/** One pass over the ticks; returns a checksum so that nothing is optimized away. */
function run(cols: Columns, contracts: ReadonlySet<string>): number {
  const aggregator = new BarAggregator({ timeframes, calendarFor: () => calendar, graceMs: settings.ingester.close_grace_ms });
  const clock = new MarketClock({ rate: 0 });
  const guard = new StreamJumpGuard(clock, settings.ingester.max_clock_skew_ms);
  const ticks = new TickBuffer();
  const pending = new PendingBars();
  const validation = { contracts };
  const received = new Map<string, number>();
  let checksum = 0;
  const accept = (trade: Trade): void => {
    clock.observe(trade.time);
    if (aggregator.addTrade(trade, clock.now()) === 'late') throw new Error('late trade');
    received.set(trade.contractId, (received.get(trade.contractId) ?? 0) + 1);
    ticks.append(trade);
  };
  const reject = (): void => {
    throw new Error('rejected');
  };
  const flush = (): void => {
    aggregator.advance(clock.now());
    for (const bar of aggregator.drain(true)) pending.set(bar);
    const batch = ticks.take(FLUSH_TICKS * 2);
    const builder = new TickPayloadBuilder();
    for (const chunk of tickCopyChunks(batch, builder)) checksum += chunk.length;
    for (const p of builder.finish()) checksum += p.length;
    while (pending.size > 0) {
      const bars: ContractBar[] = pending.take(100);
      checksum += barUpsertColumns(bars).length;
      for (const b of bars) checksum += JSON.stringify(toOhlcMessage(b)).length;
    }
  };
  const n = cols.time.length;
  let sinceFlush = 0;
  for (let from = 0; from < n; from += BATCH) {
    const to = Math.min(n, from + BATCH);
    // A parser's output: fresh objects each batch.
    const trades = new Array<Trade>(to - from);
    for (let i = from; i < to; i++) {
      const contractId = cols.ids[cols.contract[i] as number] as string;
      const time = cols.time[i] as number;
      const price = cols.price[i] as number;
      const volume = cols.volume[i] as number;
      const side = cols.buy[i] === 1 ? 'buy' : 'sell';
      trades[i - from] =
        TRADE_IDS === 'none'
          ? { contractId, time, price, volume, side }
          : { contractId, time, price, volume, side, tradeId: TRADE_IDS === 'digits' ? String(FIRST_ID + i) : `C${FIRST_ID + i}` };
    }
    clock.holdWall();
    for (const trade of trades) {
      if (rejectReason(trade, validation)) reject();
      else guard.admit(trade, accept, reject);
    }
    clock.releaseWall();
    received.clear();
    sinceFlush += to - from;
    if (sinceFlush >= FLUSH_TICKS) {
      flush();
      sinceFlush = 0;
    }
  }
  clock.finish();
  flush();
  return checksum;
}

printMachine('bench:ingest-node-path');
printLoad('before');
console.log(
  `timeframes: ${settings.ingester.timeframes.join(', ')}; ${FLUSH_TICKS.toLocaleString('en-US')} ticks a flush; ${REPS} repetitions; trade ids: ${TRADE_IDS}`,
);
for (const c of (flags.contracts ?? '').split(',').map(Number)) {
  const trades = takeTicks({ contracts: c, meanGapMs: GAP_MS, start: START }, TICKS);
  const cols = columnsOf(trades);
  const contracts = new Set(cols.ids);
  const perTick: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const cpu = process.cpuUsage();
    run(cols, contracts);
    const used = process.cpuUsage(cpu);
    if (TICKS > 0) perTick.push((used.user + used.system) / TICKS);
  }
  if (TICKS === 0) continue;
  perTick.sort((a, b) => a - b);
  figure(
    `Node CPU a tick, ${c} contract${c > 1 ? 's' : ''}`,
    perTick[0] as number,
    'µs',
    `best of ${REPS}; median ${(perTick[Math.floor(REPS / 2)] as number).toFixed(2)}`,
  );
}
printLoad('after');

// The run behind `npm run backtest` (backtest-cli.ts reads the flags first, then loads this): checks the
// strategy file before the database is opened, stores the run or the sweep, prints its summary.
import type { Pool } from '@barstream/core/node';
import { parseStrategyRunConfig, type StrategyRunConfig } from '@barstream/core/trading';
import cliProgress from 'cli-progress';
import type { BacktestCliIo, BacktestDatabase } from './backtest-cli.ts';
import { BACKTEST_USAGE, type BacktestFlags } from './backtest-flags.ts';
import { executeBacktest, readBacktestBarColumns } from './backtest-run.ts';
import type { ReportJson } from './report-json.ts';
import { readRunContract, withContractInstrument } from './run-contract.ts';
import { insertRun, syncStrategyFiles } from './run-store.ts';
import { readStrategyFile } from './strategy-file.ts';
import { parseSweepGrid } from './sweep-grid.ts';
import { runSweep } from './sweep-runner.ts';

/** Runs a backtest (or a sweep) of `values.strategy`; answers the exit code. */
export async function runBacktest(
  values: BacktestFlags['values'] & { readonly strategy: string },
  positionals: readonly string[],
  open: () => Promise<BacktestDatabase>,
  io: BacktestCliIo,
): Promise<number> {
  // The file is checked before the database is opened: a wrong field fails fast and stores nothing.
  const file = readStrategyFile(values.strategy);
  // `--sweep fast=10..30:5 slow=40..80:10`: the names after --sweep come as positionals.
  const sweepSpecs = values.sweep ? [...values.sweep, ...positionals].flatMap((s) => s.split(/\s+/)).filter(Boolean) : undefined;
  if (!values.sweep && positionals.length > 0) {
    io.err(`backtest: unexpected ${positionals.join(' ')}\n${BACKTEST_USAGE}`);
    return 2;
  }
  const sweepGrid = sweepSpecs ? parseSweepGrid(sweepSpecs) : undefined;
  const db = await open();
  const { pool, settings } = db;
  const contractId = values.contract ?? (typeof file.document.contract === 'string' ? file.document.contract : '');
  const contract = await readRunContract(pool, settings, contractId);
  const range = await backtestRange(pool, file.document, contractId, values.timeframe, values.from, values.to);
  const document: Record<string, unknown> = {
    ...withContractInstrument(file.document, contract, file.path),
    kind: 'backtest',
    ...range,
    contract: contractId,
  };
  if (values.timeframe) document.timeframe = values.timeframe;
  const config = parseStrategyRunConfig(document, file.path) as Extract<StrategyRunConfig, { kind: 'backtest' }>;
  await syncStrategyFiles(pool, [file]);

  if (sweepGrid) {
    const bar = progressBar(io, 'runs');
    const { sweepId, results } = await runSweep(pool, {
      databaseUrl: db.url,
      settings,
      strategyId: file.id,
      config,
      grid: sweepGrid,
      onResult: (done, total) => bar?.update(done, { total }),
    });
    bar?.stop();
    if (values.json) {
      io.out(
        JSON.stringify({
          sweep_id: sweepId,
          runs: results.map((r) => ({ run_id: r.runId, params: r.params, ...r.report, error: r.error })),
        }),
      );
    } else {
      io.out(`sweep ${sweepId}: ${results.length} runs of ${file.id} on ${config.contract} ${config.timeframe}, ranked by net profit`);
      io.out(sweepTable(results));
    }
    return results.some((r) => r.error) ? 1 : 0;
  }

  // No bars is a clear error before anything is stored.
  const bars = await readBacktestBarColumns(pool, config);
  const runId = await insertRun(pool, { strategyId: file.id, config, status: 'running' });
  const bar = progressBar(io, 'bars');
  let total = 0;
  const result = await executeBacktest(pool, settings, { runId, config, sessions: contract.sessions, bars }, (done, all) => {
    if (total === 0 && bar) bar.start(all, 0);
    total = all;
    bar?.update(done);
  }).finally(() => bar?.stop());
  if (values.json) {
    io.out(JSON.stringify({ run_id: runId, ...result.report }));
  } else {
    io.out(
      `run ${runId}: ${file.id} on ${config.contract} ${config.timeframe}, ${config.from} → ${config.to}: ` +
        `${result.bars} bars, ${result.signals} signals (${result.signalSource})`,
    );
    io.out(summaryTable(result.report));
  }
  return 0;
}

/** --from/--to, else the file's range, else the first and last stored closed bar (to = just after it). */
async function backtestRange(
  pool: Pool,
  doc: Record<string, unknown>,
  contractId: string,
  timeframe: string | undefined,
  from: string | undefined,
  to: string | undefined,
): Promise<{ from: string; to: string }> {
  let f = from ?? (typeof doc.from === 'string' ? doc.from : undefined);
  let t = to ?? (typeof doc.to === 'string' ? doc.to : undefined);
  if (f === undefined || t === undefined) {
    const { rows } = await pool.query<{ first: Date | null; last: Date | null }>(
      `SELECT min("timestamp") AS first, max("timestamp") AS last FROM ohlc_bars WHERE contract_id = $1 AND timeframe = $2 AND is_closed`,
      [contractId, timeframe ?? (typeof doc.timeframe === 'string' ? doc.timeframe : '')],
    );
    const row = rows[0];
    f ??= row?.first?.toISOString() ?? '1970-01-01T00:00:00Z';
    t ??= row?.last ? new Date(row.last.getTime() + 1).toISOString() : '1970-01-01T00:00:00.001Z';
  }
  return { from: f, to: t };
}

function progressBar(io: BacktestCliIo, unit: string): cliProgress.SingleBar | undefined {
  if (!io.tty) return undefined;
  return new cliProgress.SingleBar(
    { format: `backtest [{bar}] {value}/{total} ${unit} | ETA {eta_formatted}`, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);
const num = (x: number | null): string => (x === null ? '—' : x.toFixed(2));
const money = (x: string | null): string => x ?? '—';

export function summaryTable(r: ReportJson): string {
  const rows: Array<[string, string]> = [
    ['net profit', money(r.netProfit)],
    ['return', pct(r.totalReturn)],
    ['CAGR', pct(r.cagr)],
    ['max drawdown', `${money(r.maxDrawdown)} (${pct(r.maxDrawdownPct)}, ${(r.maxDrawdownDurationMs / 3_600_000).toFixed(1)} h)`],
    ['Sharpe (per session, √252 or √365)', num(r.sharpe)],
    ['Sortino', num(r.sortino)],
    ['trades', String(r.trades)],
    ['win rate', pct(r.winRate)],
    ['profit factor', num(r.profitFactor)],
    ['average win / loss', `${money(r.averageWin)} / ${money(r.averageLoss)}`],
    ['expectancy', money(r.expectancy)],
    ['exposure', pct(r.exposure)],
    ['fees paid', money(r.feesPaid)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

function sweepTable(results: readonly { runId: number; params: Record<string, number>; report?: ReportJson; error?: string }[]): string {
  const lines = [['rank', 'run', 'params', 'net profit', 'max dd', 'trades', 'win rate', 'Sharpe']];
  results.forEach((r, i) => {
    const p = Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const rep = r.report;
    lines.push([
      String(i + 1),
      String(r.runId),
      p,
      rep ? (rep.netProfit ?? '—') : `failed: ${r.error ?? ''}`,
      rep ? money(rep.maxDrawdown) : '',
      rep ? String(rep.trades) : '',
      rep ? pct(rep.winRate) : '',
      rep ? num(rep.sharpe) : '',
    ]);
  });
  const widths = (lines[0] as string[]).map((_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  return lines.map((l) => `  ${l.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ')}`).join('\n');
}

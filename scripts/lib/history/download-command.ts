// `npm run download` behind its flags: settings → provider source, database, contracts, the download
// with progress, and the summary. Returns the exit code; the script around it only wires the process.
import type { Writable } from 'node:stream';
import { type ContractSettings, parseTimeframe, type Settings, ValidationError } from '@barstream/core';
import { ProjectXAuthError } from '../../../ingester/src/providers/projectx/projectx-errors.ts';
import { cliLogger } from './cli-logger.ts';
import { UsageError } from './cli-flags.ts';
import type { DownloadArgs } from './download-args.ts';
import { downloadHistory } from './download-history.ts';
import { progressDisplay, type ProgressStream } from './download-progress.ts';
import { openHistoryDatabase } from './history-database.ts';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from './run-command.ts';
import { createHistorySource, type HistoryProvider } from './history-source.ts';
import { formatDownloadSummary } from './report-format.ts';
import { reportBulkLoadVacuum } from './bulk-load-vacuum.ts';

export interface CommandContext {
  readonly settings: Settings;
  readonly rootDir: string;
  readonly stdout: ProgressStream;
  readonly stderr: Writable;
  readonly signal?: AbortSignal;
  /** Rows written from which the download ends with VACUUM (ANALYZE) ohlc_bars (default VACUUM_AFTER_ROWS; tests lower it). */
  readonly vacuumAfterRows?: number;
}

export async function runDownload(args: DownloadArgs, ctx: CommandContext): Promise<number> {
  const provider = chooseProvider(args, ctx.settings);
  const timeframes = args.timeframes ?? ctx.settings.ingester.timeframes.map((t) => parseTimeframe(t));
  const display = progressDisplay(ctx.stdout);
  // Retries and 429 waits (warn) are what a user needs to see; info lines (logins) would crowd the bars.
  // On a terminal they go above the bars (which stdout and stderr share); elsewhere to stderr.
  const logger = cliLogger(ctx.settings.logging.level === 'info' ? 'warn' : ctx.settings.logging.level, (line) =>
    ctx.stdout.isTTY ? display.log(line) : ctx.stderr.write(`${line}\n`),
  );
  const source = createHistorySource(provider, ctx.settings, logger);
  for (const tf of timeframes) {
    try {
      source.checkTimeframe(tf);
    } catch (err) {
      if (err instanceof ValidationError) throw new UsageError(`--timeframes: ${err.message.slice(err.field.length + 2)}`);
      throw err;
    }
  }
  const db = await openHistoryDatabase(ctx.settings, ctx.rootDir);
  try {
    if (!args.dryRun) await source.connect(ctx.signal);
    const contracts: ContractSettings[] = [];
    for (const text of args.contracts) contracts.push(await source.resolveContract(text, ctx.signal));
    if (args.dryRun) display.log('dry run: nothing will be fetched or written');
    const summary = await downloadHistory(
      { contracts, timeframes, range: { startDate: args.startDate, endDate: args.endDate }, force: args.force, dryRun: args.dryRun },
      { pool: db.pool, source, settings: ctx.settings, progress: display, signal: ctx.signal },
    );
    display.stop();
    for (const line of formatDownloadSummary(summary)) ctx.stdout.write(`${line}\n`);
    if (summary.interrupted) return EXIT_INTERRUPTED;
    const written = summary.series.reduce((n, s) => n + s.inserted + s.updated, 0);
    await reportBulkLoadVacuum(db.pool, written, ctx.vacuumAfterRows, ctx.stdout, ctx.stderr);
    return summary.failed ? EXIT_FAILED : EXIT_OK;
  } catch (err) {
    display.stop();
    if (err instanceof ProjectXAuthError) {
      ctx.stderr.write(`${err.message}\ncheck PROJECTX_USERNAME and PROJECTX_API_KEY (or providers.projectx in config/settings.yaml)\n`);
      return EXIT_FAILED;
    }
    throw err;
  } finally {
    await db.close();
  }
}

function chooseProvider(args: DownloadArgs, settings: Settings): HistoryProvider {
  if (args.provider) return args.provider;
  const configured = settings.ingester.provider;
  if (configured === 'projectx' || configured === 'binance' || configured === 'coinbase' || configured === 'alpaca') return configured;
  throw new UsageError(`--provider: required (ingester.provider is '${configured}', which has no history to download)`);
}

// `npm run export` behind its flags: bars (or, with --signals, detected signals) as CSV to --out or
// stdout; the count goes to stderr so stdout stays pure CSV. A contract nothing is stored under is an
// error (exit 1) rather than an empty file, so a typo in --contract does not pass for "no data".
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { BarstreamError, formatTimeframe, type Settings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { exportBars } from './bar-export.ts';
import type { ExportArgs } from './export-args.ts';
import { openHistoryDatabase } from './history-database.ts';
import { formatCount } from './report-format.ts';
import { EXIT_OK } from './run-command.ts';
import { exportSignals } from './signal-export.ts';

export interface ExportContext {
  readonly settings: Settings;
  readonly rootDir: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** A contract with no bars, signals or contracts row under its id. */
export class UnknownContractError extends BarstreamError {
  constructor(contractId: string, known: readonly string[]) {
    super(
      'unknown_contract',
      `unknown contract '${contractId}': no bars or signals are stored under that id` +
        (known.length > 0 ? ` (contracts: ${known.join(', ')})` : ''),
    );
  }
}

/** Contracts listed in the error: enough to spot a typo without flooding the terminal. */
const KNOWN_LISTED = 20;

export async function runExport(args: ExportArgs, ctx: ExportContext): Promise<number> {
  const db = await openHistoryDatabase(ctx.settings, ctx.rootDir);
  try {
    await checkContractKnown(db.pool, args.contract);
    const file = args.out ? createWriteStream(args.out) : undefined;
    const out = file ?? ctx.stdout;
    let summary: string;
    if (args.what === 'signals') {
      const timeframe = args.timeframe && formatTimeframe(args.timeframe);
      const count = await exportSignals(
        db.pool,
        { contractId: args.contract, timeframe, analyzerId: args.analyzer, from: args.from, to: args.to },
        out,
      );
      summary = `${formatCount(count)} signals of ${[args.contract, timeframe, args.analyzer].filter((s) => s !== undefined).join(' ')}`;
    } else {
      const timeframe = args.timeframe;
      if (!timeframe) throw new Error('export of bars without a timeframe (parseExportArgs requires one)');
      const count = await exportBars(db.pool, { contractId: args.contract, timeframe, from: args.from, to: args.to }, out);
      summary = `${formatCount(count)} ${args.contract} ${formatTimeframe(timeframe)} bars`;
    }
    if (file) {
      file.end();
      await finished(file);
    }
    ctx.stderr.write(`exported ${summary}${args.out ? ` to ${args.out}` : ''}\n`);
    return EXIT_OK;
  } finally {
    await db.close();
  }
}

async function checkContractKnown(pool: Pool, contractId: string): Promise<void> {
  const { rows } = await pool.query<{ known: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ohlc_bars WHERE contract_id = $1)
    OR EXISTS (SELECT 1 FROM detected_signals WHERE contract_id = $1) OR EXISTS (SELECT 1 FROM contracts WHERE id = $1) AS known`,
    [contractId],
  );
  if (rows[0]?.known === true) return;
  const listed = await pool.query<{ id: string }>(`SELECT id FROM contracts ORDER BY id LIMIT ${KNOWN_LISTED}`);
  throw new UnknownContractError(
    contractId,
    listed.rows.map((r) => r.id),
  );
}

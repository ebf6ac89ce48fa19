// `npm run export` behind its flags: CSV to --out or stdout; the count goes to stderr so stdout stays pure CSV.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { formatTimeframe, type Settings } from '@barstream/core';
import { exportBars } from './bar-export.ts';
import type { ExportArgs } from './export-args.ts';
import { openHistoryDatabase } from './history-database.ts';
import { formatCount } from './report-format.ts';
import { EXIT_OK } from './run-command.ts';

export interface ExportContext {
  readonly settings: Settings;
  readonly rootDir: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export async function runExport(args: ExportArgs, ctx: ExportContext): Promise<number> {
  const db = await openHistoryDatabase(ctx.settings, ctx.rootDir);
  try {
    const file = args.out ? createWriteStream(args.out) : undefined;
    const count = await exportBars(db.pool, { contractId: args.contract, timeframe: args.timeframe, from: args.from, to: args.to },
      file ?? ctx.stdout);
    if (file) {
      file.end();
      await finished(file);
    }
    ctx.stderr.write(`exported ${formatCount(count)} ${args.contract} ${formatTimeframe(args.timeframe)} bars${args.out ? ` to ${args.out}` : ''}\n`);
    return EXIT_OK;
  } finally {
    await db.close();
  }
}

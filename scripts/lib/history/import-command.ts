// `npm run import` behind its flags: each file imported in its own transaction, its outcome and bad
// rows printed. Returns the exit code (1 when any file was not written).
import type { Writable } from 'node:stream';
import type { Settings } from '@barstream/core';
import { ImportFileError, importBarFile } from './bar-file-import.ts';
import type { ImportArgs } from './import-args.ts';
import { openHistoryDatabase } from './history-database.ts';
import { reportBulkLoadVacuum } from './bulk-load-vacuum.ts';
import { sumCounts } from './bar-writer.ts';
import { formatImportReport } from './report-format.ts';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from './run-command.ts';

export interface ImportContext {
  readonly settings: Settings;
  readonly rootDir: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly signal?: AbortSignal;
  /** Rows written from which the import ends with VACUUM (ANALYZE) ohlc_bars (default VACUUM_AFTER_ROWS; tests lower it). */
  readonly vacuumAfterRows?: number;
}

export async function runImport(args: ImportArgs, ctx: ImportContext): Promise<number> {
  const db = await openHistoryDatabase(ctx.settings, ctx.rootDir);
  let failed = false;
  let written = 0;
  try {
    for (const file of args.files) {
      // Between files only: a file being written finishes (or rolls back) as a whole. An interrupted
      // import skips the VACUUM too (autovacuum gets to the rows later).
      if (ctx.signal?.aborted) return EXIT_INTERRUPTED;
      const started = performance.now();
      try {
        const report = await importBarFile(db.pool, file, {
          contract: args.contract,
          timeframe: args.timeframe,
          skipBadRows: args.skipBadRows,
        });
        for (const line of formatImportReport(report, (performance.now() - started) / 1000)) ctx.stdout.write(`${line}\n`);
        if (!report.committed && report.errors.length > 0) failed = true;
        if (report.committed) {
          const counts = sumCounts(report.results);
          written += counts.inserted + counts.updated;
        }
      } catch (err) {
        const message = err instanceof ImportFileError ? err.message : unreadableFile(err, file);
        if (message === undefined) throw err;
        ctx.stderr.write(`${message}\n`);
        failed = true;
      }
    }
    await reportBulkLoadVacuum(db.pool, written, ctx.vacuumAfterRows, ctx.stdout, ctx.stderr);
  } finally {
    await db.close();
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}

/** The line for a file that cannot be read at all; undefined for any other error. */
function unreadableFile(err: unknown, file: string): string | undefined {
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  if (code === 'ENOENT') return `file not found: ${file}`;
  if (code === 'EISDIR') return `not a file: ${file}`;
  if (code === 'EACCES') return `permission denied: ${file}`;
  return undefined;
}

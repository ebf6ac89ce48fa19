// `npm run import` behind its flags: each file imported in its own transaction, its outcome and bad
// rows printed. Returns the exit code (1 when any file was not written).
import type { Writable } from 'node:stream';
import type { Settings } from '@barstream/core';
import { ImportFileError, importBarFile } from './bar-file-import.ts';
import type { ImportArgs } from './import-args.ts';
import { openHistoryDatabase } from './history-database.ts';
import { formatImportReport } from './report-format.ts';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from './run-command.ts';

export interface ImportContext {
  readonly settings: Settings;
  readonly rootDir: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly signal?: AbortSignal;
}

export async function runImport(args: ImportArgs, ctx: ImportContext): Promise<number> {
  const db = await openHistoryDatabase(ctx.settings, ctx.rootDir);
  let failed = false;
  try {
    for (const file of args.files) {
      // Between files only: a file being written finishes (or rolls back) as a whole.
      if (ctx.signal?.aborted) return EXIT_INTERRUPTED;
      const started = performance.now();
      try {
        const report = await importBarFile(db.pool, file, { contract: args.contract, timeframe: args.timeframe, skipBadRows: args.skipBadRows });
        for (const line of formatImportReport(report, (performance.now() - started) / 1000)) ctx.stdout.write(`${line}\n`);
        if (!report.committed && report.errors.length > 0) failed = true;
      } catch (err) {
        if (!(err instanceof ImportFileError || isMissingFile(err))) throw err;
        ctx.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        failed = true;
      }
    }
  } finally {
    await db.close();
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}

function isMissingFile(err: unknown): boolean {
  return err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'EISDIR');
}

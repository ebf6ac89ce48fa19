// A lock on an embedded data directory, held by the live process that runs its server (`npm start`,
// `npm run db`): `<data dir>.lock` beside the directory, created exclusively, holding our PID. A second
// run refuses with the holder's PID; a lock whose process is gone (kill -9) is taken over.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { BarstreamError } from '@barstream/core';
import { z } from 'zod';

export class DataDirLockedError extends BarstreamError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      'data_dir_locked',
      `data dir ${dataDir} is in use by PID ${holder.pid} (\`${holder.command}\`, since ${holder.since}); ` +
        `stop that one first (Ctrl-C in its terminal, or kill ${holder.pid}), or set BARSTREAM_DATA_DIR to another directory`,
    );
  }
}

const lockHolderSchema = z.object({ pid: z.number().int().positive(), command: z.string(), since: z.string() });
export type LockHolder = z.infer<typeof lockHolderSchema>;

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export function lockPathOf(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}.lock`;
}

/** Takes the lock or throws DataDirLockedError naming the live holder. Changes nothing when refused. */
export function acquireDataDirLock(dataDir: string, command = process.argv.slice(1).join(' ')): DataDirLock {
  const path = lockPathOf(dataDir);
  const me: LockHolder = { pid: process.pid, command, since: new Date().toISOString() };
  // The lock sits beside the data dir, whose parent a fresh clone does not have yet (.data/).
  mkdirSync(dirname(path), { recursive: true });
  // Two attempts: the second follows the removal of a stale lock (its holder is dead).
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder && holder.pid !== process.pid && isLiveHolder(holder.pid)) throw new DataDirLockedError(dataDir, holder);
      removeIfExists(path);
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        if (readHolder(path)?.pid === process.pid) removeIfExists(path);
      },
    };
  }
  throw new Error(`could not take the lock ${path}: another process took it at the same moment`);
}

/** The holder named in the lock file; undefined when it is unreadable (a crash mid-write): stale. */
function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = lockHolderSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The PID is alive and, where /proc tells, is a Node.js process: a PID reused by an unrelated
 * program after a kill -9 does not keep the data dir locked forever. */
function isLiveHolder(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    return /node/.test(readFileSync(cmdline, 'utf8'));
  } catch {
    return true;
  }
}

function removeIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

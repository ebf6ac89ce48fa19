// The disk's own commit latency, beside a figure that waits on it. Every COMMIT of the ingester waits for its
// WAL's fdatasync (synchronous_commit on), so a stall of the disk is a stall of every flush under way, and of
// the tick → NOTIFY tail. The probe does to a file what a small commit does to the WAL (an 8 KB write into a
// preallocated file, then fdatasync), in a loop, with no PostgreSQL, on the file system of the directory given.
import { closeSync, fdatasyncSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { figure, percentile } from './report.ts';

const FILE_BYTES = 16 << 20; // one WAL segment
const PAGE = 8192;
/** A sync this slow holds a paced run's flushes for as long as 40 ticks arrive at 2,000 ticks/s. */
const STALL_MS = 20;

export interface FsyncProbe {
  /** Every sync's duration, ms, in the order made. */
  readonly syncs: readonly number[];
  /** [seconds from the probe's start, ms] of each sync of STALL_MS or more. */
  readonly stalls: readonly (readonly [number, number])[];
}

/** `seconds` of 8 KB pwrite + fdatasync on a 16 MB file made (and zeroed, and synced) first in a temp dir under `dir`. */
export function probeFsync(dir: string, seconds: number): FsyncProbe {
  const home = mkdtempSync(join(dir, 'fsync-probe-'));
  const fd = openSync(join(home, 'segment'), 'w+');
  try {
    const zeros = Buffer.alloc(1 << 20);
    for (let at = 0; at < FILE_BYTES; at += zeros.length) writeSync(fd, zeros, 0, zeros.length, at);
    fsyncSync(fd);
    const page = Buffer.alloc(PAGE, 0x5a);
    const syncs: number[] = [];
    const stalls: [number, number][] = [];
    const start = performance.now();
    for (let at = 0; performance.now() - start < seconds * 1000; at = (at + PAGE) % FILE_BYTES) {
      const before = performance.now();
      writeSync(fd, page, 0, PAGE, at);
      fdatasyncSync(fd);
      const ms = performance.now() - before;
      syncs.push(ms);
      if (ms >= STALL_MS) stalls.push([(before - start) / 1000, ms]);
    }
    return { syncs, stalls };
  } finally {
    closeSync(fd);
    rmSync(home, { recursive: true, force: true });
  }
}

/** Prints the probe's figures: the syncs' p50 / p99.9 / max and each stall with when it came. */
export function printFsyncProbe(dir: string, seconds: number): void {
  const probe = probeFsync(dir, seconds);
  const sorted = [...probe.syncs].sort((a, b) => a - b);
  console.log(`\n## the disk alone: 8 KB write + fdatasync in a loop for ${seconds} s, no PostgreSQL (the data directory's file system)`);
  figure('fdatasync p50', percentile(sorted, 50), 'ms', `${sorted.length.toLocaleString('en-US')} syncs`);
  figure('fdatasync p99.9', percentile(sorted, 99.9), 'ms');
  figure('fdatasync max', sorted[sorted.length - 1] ?? NaN, 'ms');
  figure(
    `fdatasync ≥ ${STALL_MS} ms`,
    String(probe.stalls.length),
    '',
    probe.stalls.length > 0
      ? `at ${probe.stalls.map(([at, ms]) => `${at.toFixed(1)} s: ${ms.toFixed(0)} ms`).join(', ')}; a commit waits as long`
      : 'none in this window',
  );
}

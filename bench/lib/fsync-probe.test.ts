import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeFsync } from './fsync-probe.ts';

describe('probeFsync', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('times write + fdatasync in a loop, lists every sync of 20 ms or more as a stall, and leaves no file behind', () => {
    dir = mkdtempSync(join(tmpdir(), 'fsync-probe-test-'));
    const probe = probeFsync(dir, 0.2);
    expect(probe.syncs.length).toBeGreaterThan(0);
    expect(probe.syncs.every((ms) => ms > 0 && Number.isFinite(ms))).toBe(true);
    // The stalls are exactly the syncs of 20 ms or more, in order, each within the probe's time.
    expect(probe.stalls.map(([, ms]) => ms)).toEqual(probe.syncs.filter((ms) => ms >= 20));
    for (const [at] of probe.stalls) expect(at).toBeGreaterThanOrEqual(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

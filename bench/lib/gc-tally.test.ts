import { runInThisContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { startGcTally } from './gc-tally.ts';

describe('startGcTally', () => {
  it('counts the scavenges between start and stop, and what they promoted while objects stayed referenced', () => {
    const stop = startGcTally();
    // Allocation drives scavenges: short-lived objects until one has run (a condition, not a clock), while a
    // growing list keeps part of them alive across scavenges, so the old space grows through them.
    const kept: { readonly n: number; readonly s: string }[] = [];
    let sink = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 100_000; i++) {
        const o = { n: i, s: `v${i}` };
        sink += o.s.length;
        if (i % 4 === 0) kept.push(o);
      }
    }
    const tally = stop();
    expect(sink).toBeGreaterThan(0);
    expect(kept.length).toBeGreaterThan(0);
    expect(tally.scavenges).toBeGreaterThan(0);
    expect(tally.promotedBytes).toBeGreaterThan(0);
    expect(tally.pauseMs).toBeGreaterThan(0);
  });

  it('counts what was allocated straight into the old generation between GCs (bytecode, which V8 puts there)', () => {
    const stop = startGcTally();
    // Each new script's bytecode and metadata are allocated in the old space, not the young generation.
    let sum = 0;
    for (let i = 0; i < 2_000; i++) sum += (runInThisContext(`(a) => a * ${i} + ${i % 7}`) as (a: number) => number)(1);
    const tally = stop();
    expect(sum).toBeGreaterThan(0);
    expect(tally.oldAllocatedBySpace.old_space).toBeGreaterThan(100_000);
    expect(tally.oldAllocatedBytes).toBeGreaterThanOrEqual(tally.oldAllocatedBySpace.old_space ?? 0);
  });

  it('counts nothing when nothing was collected between start and stop', () => {
    const tally = startGcTally()();
    expect(tally).toMatchObject({ scavenges: 0, markCompacts: 0, pauseMs: 0, promotedBytes: 0 });
  });
});

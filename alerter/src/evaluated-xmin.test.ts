import { describe, expect, it } from 'vitest';
import { NOTIFY_LAG_MS, SnapshotSamples } from './evaluated-xmin.ts';

describe('SnapshotSamples', () => {
  it('gives a step position to store only once it is NOTIFY_LAG_MS old, newest first, each once', () => {
    let now = 1_000_000;
    const samples = new SnapshotSamples(() => now);
    samples.add('100');
    now += 1_000;
    samples.add('105');
    expect(samples.takeStorable()).toBeUndefined();
    now += NOTIFY_LAG_MS - 1_000; // '100' exactly old enough, '105' not yet
    expect(samples.takeStorable()).toBe('100');
    expect(samples.takeStorable()).toBeUndefined();
    now += 1_000;
    expect(samples.takeStorable()).toBe('105');
  });

  it("trusts a rebuild's position at once, and stores nothing after LISTEN was lost until then", () => {
    let now = 0;
    const samples = new SnapshotSamples(() => now);
    samples.add('7');
    samples.clear();
    now += 2 * NOTIFY_LAG_MS;
    expect(samples.takeStorable()).toBeUndefined();
    samples.trust('9');
    expect(samples.takeStorable()).toBe('9');
    // A failed write: the same position is offered again.
    samples.forgetStored();
    expect(samples.takeStorable()).toBe('9');
  });
});

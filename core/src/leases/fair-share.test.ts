import { describe, expect, it } from 'vitest';
import { fairShare, planLeases, preferenceOrder } from './fair-share.ts';
import { leaseKey, leaseNamespace, LEASE_SERVICES, unitHash } from './lease-key.ts';

describe('lease keys', () => {
  it('namespaces every service apart and hashes units to int4', () => {
    const namespaces = LEASE_SERVICES.map((s) => leaseNamespace(s));
    expect(new Set(namespaces).size).toBe(LEASE_SERVICES.length);
    for (const n of namespaces) expect(n).toBeLessThanOrEqual(2 ** 31 - 1);
    const k = leaseKey('ingester', 'CON.F.US.MES.Z25');
    expect(k.hash).toBe(unitHash('CON.F.US.MES.Z25'));
    expect(k.hash).toBeGreaterThanOrEqual(-(2 ** 31));
    expect(k.hash).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(unitHash('a')).not.toBe(unitHash('b'));
    // FNV-1a of "a" (0xe40c292c) as a signed int4.
    expect(unitHash('a')).toBe(0xe40c292c | 0);
  });
});

describe('fair share', () => {
  it('is ceil(units / live instances)', () => {
    expect(fairShare(4, 1)).toBe(4);
    expect(fairShare(4, 2)).toBe(2);
    expect(fairShare(5, 2)).toBe(3);
    expect(fairShare(1, 3)).toBe(1);
    expect(fairShare(3, 0)).toBe(3);
  });

  it('orders units differently per instance, the same every time', () => {
    const units = ['A', 'B', 'C', 'D', 'E', 'F'];
    expect(preferenceOrder('x', units)).toEqual(preferenceOrder('x', [...units].reverse()));
    expect(preferenceOrder('x', units).sort()).toEqual(units);
    const firsts = new Set(['i1', 'i2', 'i3', 'i4', 'i5'].map((i) => preferenceOrder(i, units)[0]));
    expect(firsts.size).toBeGreaterThan(1);
  });

  it('tries units while under the share and releases the excess when another instance is live', () => {
    const units = ['A', 'B', 'C', 'D'];
    const alone = planLeases('x', units, new Set(), 1);
    expect(alone.tryLock.sort()).toEqual(units);
    expect(alone.release).toEqual([]);
    const full = planLeases('x', units, new Set(units), 1);
    expect(full).toEqual({ tryLock: [], release: [] });
    const shared = planLeases('x', units, new Set(units), 2);
    expect(shared.tryLock).toEqual([]);
    expect(shared.release).toHaveLength(2);
    const kept = preferenceOrder('x', units).slice(0, 2);
    for (const u of shared.release) expect(kept).not.toContain(u);
    const half = planLeases('x', units, new Set(kept), 2);
    expect(half).toEqual({ tryLock: [], release: [] });
  });

  it('releases units no longer configured', () => {
    expect(planLeases('x', ['A'], new Set(['A', 'Z']), 1).release).toEqual(['Z']);
  });
});

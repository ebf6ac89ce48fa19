import { describe, expect, it } from 'vitest';
import { zoneOffsetMs } from './time-zone.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The offset as zoneOffsetMs computed it before it kept the last second's answer: formatToParts every call. */
function reference(timeZone: string, ms: number): number {
  let format = formats.get(timeZone);
  format ??= new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  formats.set(timeZone, format);
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** A small deterministic generator (the same cases every run). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

describe('zoneOffsetMs', () => {
  const zones = ['America/Chicago', 'America/New_York', 'Europe/London', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
  // Around each zone's transitions (2026: US 8 March and 1 November, EU 29 March, Lord Howe's half hour 5 April).
  const around = ['2026-03-08T08:00:00Z', '2026-11-01T07:00:00Z', '2026-03-29T01:00:00Z', '2026-04-04T15:00:00Z'].map(Date.parse);

  it('answers as a fresh formatter does, second by second across DST changes, in and out of order', () => {
    const random = lcg(7);
    for (const zone of zones) {
      for (const t of around) {
        // In order, several instants a second (fractions of a ms too), ten minutes either side.
        for (let ms = t - 600_000; ms < t + 600_000; ms += 137.25) expect(zoneOffsetMs(zone, ms)).toBe(reference(zone, ms));
        // Back and forth across the change, and the same second from another zone in between.
        for (let k = 0; k < 500; k++) {
          const ms = t + Math.round((random() - 0.5) * 1_200_000) + random();
          expect(zoneOffsetMs(zone, ms)).toBe(reference(zone, ms));
          expect(zoneOffsetMs('America/Chicago', ms)).toBe(reference('America/Chicago', ms));
        }
      }
    }
  });

  it('the last millisecond of a second before a change, then the change itself, then back', () => {
    const change = Date.parse('2026-03-08T08:00:00Z'); // 02:00 CST becomes 03:00 CDT
    for (const ms of [change - 1, change - 0.25, change, change + 999.5, change - 1000, change - 1]) {
      expect(zoneOffsetMs('America/Chicago', ms)).toBe(reference('America/Chicago', ms));
    }
    expect(zoneOffsetMs('America/Chicago', change - 1)).toBe(-6 * 3_600_000);
    expect(zoneOffsetMs('America/Chicago', change)).toBe(-5 * 3_600_000);
  });

  it('before 1970 and in UTC, as before', () => {
    for (const ms of [-1.5, -0.5, -1000, -999.75, -86_400_000.5, 0, 0.5]) {
      expect(zoneOffsetMs('America/Chicago', ms)).toBe(reference('America/Chicago', ms));
    }
    expect(zoneOffsetMs('UTC', Date.parse('2026-03-08T08:00:00Z'))).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';
import { UtcSecondCache } from './utc-second-cache.ts';

/** The readers the venues give it: Coinbase's (a regex, then Date.parse) stands for any. */
const SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
function read(text: string): number | undefined {
  const ms = SECONDS.test(text) ? Date.parse(`${text}Z`) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

describe('UtcSecondCache', () => {
  it('gives what the reader gives for every second, warm or cold, across years, leap days and month ends', () => {
    const cache = new UtcSecondCache(read);
    const random = seededRandom(17);
    let at = Date.UTC(2023, 11, 31, 23, 58);
    for (let k = 0; k < 5_000; k++) {
      // Mostly a few seconds on (the cache's case), sometimes days.
      at += random() < 0.9 ? Math.floor(random() * 3_000) : Math.floor(random() * 40 * 86_400_000);
      const text = new Date(at).toISOString().slice(0, 19);
      expect([text, cache.at(`x${text}.5Z`, 1)]).toEqual([text, read(text)]);
    }
  });

  it('leaves leap seconds and broken seconds to the reader, also right after a good time of the same minute', () => {
    const cache = new UtcSecondCache(read);
    for (const text of [
      '2024-01-01T00:00:60',
      '2024-01-01T00:00:6x',
      '2024-01-01T00:00:-1',
      '2024-01-01T00:00x00',
      '2024-01-01T00:00:99',
    ]) {
      expect(cache.at('2024-01-01T00:00:30', 0)).toBe(Date.UTC(2024, 0, 1, 0, 0, 30));
      expect([text, cache.at(text, 0)]).toEqual([text, read(text)]);
    }
  });

  it('refuses a second of a minute the reader refuses, every time', () => {
    const cache = new UtcSecondCache(read);
    for (const text of ['2024-13-01T00:00:01', '2024-13-01T00:00:02', '2024-02-30T00:00:03', '2024-01-01T25:00:04']) {
      expect([text, cache.at(text, 0)]).toEqual([text, read(text)]);
    }
  });
});

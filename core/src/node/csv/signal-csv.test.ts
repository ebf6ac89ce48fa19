import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, formatSignalCsvRows, parseSignalCsv, signalCsvHeader, type SignalCsvRow } from './signal-csv.ts';

const row: SignalCsvRow = {
  signalId: 7,
  analyzerId: 'trend_start_finder',
  contractId: 'CON.F.US.MES.M25',
  timeframe: '5m',
  time: Date.parse('2025-03-17T14:00:00Z'),
  triggerTime: Date.parse('2025-03-17T14:05:00.250Z'),
  signalType: 'trend_start_bull',
  price: 5678.25,
  open: 5670,
  high: 5680.5,
  low: 5669.75,
  close: 5678.25,
  volume: 1234,
  details: { reason: 'close above "EMA", then a pullback', levels: [1.5, 0.30000000000000004], note: 'two\nlines' },
};

describe('signal CSV', () => {
  it('writes the JSON details as one quoted field and reads every field back as it was', () => {
    const csv = signalCsvHeader() + formatSignalCsvRows([row, { ...row, signalId: 8, price: null, open: null, details: {} }]);
    expect(csv.split('\n')[0]).toBe(
      'signal_id,analyzer_id,contract_id,timeframe,timestamp,trigger_timestamp,signal_type,signal_price,' +
        'signal_open,signal_high,signal_low,signal_close,signal_volume,details',
    );
    expect(csv.split('\n')[1]).toBe(
      '7,trend_start_finder,CON.F.US.MES.M25,5m,2025-03-17 14:00:00+00:00,2025-03-17 14:05:00.250+00:00,' +
        'trend_start_bull,5678.25,5670,5680.5,5669.75,5678.25,1234,"{""reason"":""close above \\""EMA\\"", then a pullback"",' +
        '""levels"":[1.5,0.30000000000000004],""note"":""two\\nlines""}"',
    );
    expect(parseSignalCsv(csv)).toEqual({ rows: [row, { ...row, signalId: 8, price: null, open: null, details: {} }], errors: [] });
  });

  it('round-trips any row: text with commas, quotes and line breaks, any finite number, any JSON', () => {
    const text = fc.string({ minLength: 1 }).filter((s) => s.trim() === s && s !== '');
    // -0 is written as 0 (as String(-0) is): a price of -0 is none that a bar has.
    const price = fc.option(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
      { nil: null },
    );
    const instant = fc.integer({ min: 0, max: Date.parse('2100-01-01T00:00:00Z') });
    const anyRow = fc.record({
      signalId: fc.nat(),
      analyzerId: text,
      contractId: text,
      timeframe: text,
      time: instant,
      triggerTime: instant,
      signalType: text,
      price,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: price,
      details: fc.jsonValue(),
    });
    fc.assert(
      fc.property(fc.array(anyRow, { maxLength: 5 }), (rows) => {
        // JSON has no -0: it comes back as 0, as PostgreSQL's jsonb would store it.
        const expected = rows.map((r) => ({ ...r, details: JSON.parse(JSON.stringify(r.details)) as unknown }));
        expect(parseSignalCsv(signalCsvHeader() + formatSignalCsvRows(rows))).toEqual({ rows: expected, errors: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('names a bad row by its line and column', () => {
    const csv =
      `${signalCsvHeader()}${formatSignalCsvRows([row])}x,a,b,5m,2025-03-17 14:00:00,2025-03-17 14:00:00,t,,,,,,,{}\n` +
      '1,a,b,5m,2025-03-17 14:00:00,2025-03-17 14:00:00,t,,,,,,,{oops\n';
    expect(parseSignalCsv(csv).errors).toEqual([
      { line: 3, reason: 'signal_id is not a whole number' },
      { line: 4, reason: 'details is not JSON' },
    ]);
    expect(formatInstant(Date.parse('2025-03-17T14:00:00Z'))).toBe('2025-03-17 14:00:00+00:00');
  });
});

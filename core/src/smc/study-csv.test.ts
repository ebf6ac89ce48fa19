import { describe, expect, it } from 'vitest';
import { nanColumns } from './smc-params.ts';
import { pythonFloatText, studyCsv } from './study-csv.ts';

describe('pythonFloatText', () => {
  it('writes what Python repr() writes', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [-1, '-1.0'],
      [153, '153.0'],
      [0.97369, '0.97369'],
      [0, '0.0'],
      [-0, '-0.0'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [1e16, '1e+16'],
      [123456789012345.6, '123456789012345.6'],
      [Math.fround(0.97345555), '0.973455548286438'],
      [2.5e22, '2.5e+22'],
    ];
    for (const [x, text] of cases) expect(pythonFloatText(x), String(x)).toBe(text);
  });
});

describe('studyCsv', () => {
  it('writes timestamp and the library columns, NaN as an empty field', () => {
    const result = nanColumns('swing_highs_lows', 3);
    result.HighLow[1] = 1;
    result.Level[1] = 5600.25;
    const times = [0, 300_000, 600_000];
    expect(studyCsv('swing_highs_lows', times, result)).toBe(
      'timestamp,HighLow,Level\n1970-01-01T00:00:00.000Z,,\n1970-01-01T00:05:00.000Z,1.0,5600.25\n1970-01-01T00:10:00.000Z,,\n',
    );
  });
});

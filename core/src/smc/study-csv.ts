// A study's batch answer as CSV in the library's layout (../shared/specs/smc.md §10): one line per
// bar, `timestamp` then the library's columns in its order, NaN as an empty field, every number as
// the double it is in Python's text (`1.0`, `0.97369`, `1e-05`), so files compare with the library's.
import { SMC_STUDY_COLUMNS, type SmcStudy } from './smc-params.ts';

/** Python's repr of a float: the shortest text that reads back as the same double. */
export function pythonFloatText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  // Python switches to exponent form below 1e-4 and from 1e16 on (JavaScript: below 1e-6, from 1e21).
  if (abs < 1e-4 || abs >= 1e16) {
    const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const text = String(x);
  return text.includes('.') ? text : `${text}.0`;
}

/** The CSV text (header line, then one line per bar; `\n` line ends) of `study` over bars at `times`. */
export function studyCsv(study: SmcStudy, times: readonly number[], result: Readonly<Record<string, Float64Array>>): string {
  const names = SMC_STUDY_COLUMNS[study];
  const columns = names.map((n) => result[n]!);
  const lines = [['timestamp', ...names].join(',')];
  for (let i = 0; i < times.length; i++) {
    const fields = [new Date(times[i]!).toISOString()];
    for (const c of columns) {
      const v = c[i]!;
      fields.push(Number.isNaN(v) ? '' : pythonFloatText(v));
    }
    lines.push(fields.join(','));
  }
  return `${lines.join('\n')}\n`;
}

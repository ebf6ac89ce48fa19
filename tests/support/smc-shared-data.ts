// Access to the SMC known answers in ../shared/data/smc-eurusd (absent in a fresh clone: tests skip visibly).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SMC_EURUSD_DIR = fileURLToPath(new URL('../../../shared/data/smc-eurusd/', import.meta.url));
export const hasSmcEurusd = existsSync(SMC_EURUSD_DIR);

if (!hasSmcEurusd) console.warn(`skipping SMC known-answer tests: ${SMC_EURUSD_DIR} not found`);

/** A CSV of numbers as columns by header name; an empty field is NaN. */
export function readNumberColumns(name: string): Record<string, number[]> {
  const lines = readFileSync(`${SMC_EURUSD_DIR}${name}`, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const header = lines[0]!.split(',');
  const columns: Record<string, number[]> = {};
  for (const h of header) columns[h] = [];
  for (let k = 1; k < lines.length; k++) {
    const fields = lines[k]!.split(',');
    header.forEach((h, c) => {
      const text = fields[c] ?? '';
      columns[h]!.push(text === '' ? NaN : Number(text));
    });
  }
  return columns;
}

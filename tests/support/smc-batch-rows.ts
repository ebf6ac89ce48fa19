// The batch answer of all five SMC studies on some bars, as the table rows smcTableRow maps them to
// (without the confirmed tag, which the batch does not know), keyed like the analyzer's stored rows.
import type { OhlcBar } from '../../core/src/bar.ts';
import { smcBatch } from '../../core/src/smc/smc-batch.ts';
import { toSmcBars } from '../../core/src/smc/smc-bars.ts';
import { SMC_STUDIES, SMC_STUDY_COLUMNS, type SmcParams } from '../../core/src/smc/smc-params.ts';
import { smcTableRow, type SmcTableRow } from '../../core/src/smc/smc-table-rows.ts';
import { smcRowKey } from '../../analyzer/src/smc-stored-rows.ts';

export type UntaggedRow = Omit<SmcTableRow, 'confirmed'>;

export function untagged(row: SmcTableRow): UntaggedRow {
  const { confirmed: _confirmed, ...rest } = row;
  return rest;
}

export function batchTableRows(bars: readonly OhlcBar[], params: SmcParams): Map<string, UntaggedRow> {
  const batch = smcBatch(toSmcBars(bars), params);
  const timeAt = (i: number): number => bars[i]!.time;
  const out = new Map<string, UntaggedRow>();
  for (const study of SMC_STUDIES) {
    const columns = SMC_STUDY_COLUMNS[study].map((c) => (batch[study] as Record<string, Float64Array>)[c]!);
    for (let row = 0; row < bars.length; row++) {
      const mapped = smcTableRow(
        study,
        row,
        columns.map((col) => col[row]!),
        false,
        timeAt,
      );
      if (mapped) out.set(smcRowKey(study, mapped.barTime), untagged(mapped));
    }
  }
  return out;
}

/** Differences between stored rows and the batch rows (at most `limit`), as readable lines. */
export function rowDifferences(stored: Map<string, SmcTableRow>, want: Map<string, UntaggedRow>, limit = 5): string[] {
  const out: string[] = [];
  for (const [key, row] of want) {
    const got = stored.get(key);
    if (!got) out.push(`missing ${key}: ${JSON.stringify(row)}`);
    else if (JSON.stringify(untagged(got)) !== JSON.stringify(row))
      out.push(`differs ${key}: stored ${JSON.stringify(untagged(got))} batch ${JSON.stringify(row)}`);
    if (out.length >= limit) return out;
  }
  for (const key of stored.keys()) {
    if (!want.has(key)) out.push(`extra ${key}: ${JSON.stringify(stored.get(key))}`);
    if (out.length >= limit) return out;
  }
  return out;
}

// `npm run analyzer -- export-study --study S --contract C --timeframe TF [parameters] [--from ISO] --out FILE.csv`:
// the batch answer of one SMC study over the stored closed bars, in the library's CSV layout
// (core/src/smc/study-csv.ts), so anyone can compare it with smartmoneyconcepts 0.0.27.
import { writeFileSync } from 'node:fs';
import {
  formatTimeframe,
  type OhlcBar,
  parseTimeframe,
  SMC_STUDIES,
  smcBatch,
  smcParamsSchema,
  studyCsv,
  type SmcStudy,
  toSmcBars,
} from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { z } from 'zod';
import { closedBarsAfter, PAGE_SIZE } from '../closed-bars.ts';
import { exportStudyUsageError, readExportStudyFlags } from './export-study-flags.ts';

const bool = (option: string) => z.enum(['true', 'false'], { error: `--${option}: expected true or false` }).transform((v) => v === 'true');
const num = (option: string) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i, { error: `--${option}: expected a number` })
    .transform(Number);

const argsSchema = z.object({
  study: z.enum(SMC_STUDIES as [SmcStudy, ...SmcStudy[]], { error: `--study: expected one of ${SMC_STUDIES.join(', ')}` }),
  contract: z.string({ error: '--contract: missing' }).min(1, { error: '--contract: missing' }),
  timeframe: z.string({ error: '--timeframe: missing' }),
  out: z.string({ error: '--out: missing (the CSV file to write)' }).min(1),
  from: z.iso.datetime({ offset: true, error: '--from: expected an ISO date-time like 2025-03-17T00:00:00Z' }).optional(),
  'swing-length': num('swing-length').optional(),
  'close-break': bool('close-break').optional(),
  'join-consecutive': bool('join-consecutive').optional(),
  'close-mitigation': bool('close-mitigation').optional(),
  'range-percent': num('range-percent').optional(),
});

export class ExportStudyUsageError extends Error {}

export interface ExportStudyArgs {
  readonly study: SmcStudy;
  readonly contractId: string;
  readonly timeframeText: string;
  readonly out: string;
  readonly from: number | undefined;
  readonly params: z.infer<typeof smcParamsSchema>;
}

/** Parses the command line (without the `export-study` word); a bad option throws ExportStudyUsageError naming it. */
export function parseExportStudyArgs(argv: readonly string[]): ExportStudyArgs {
  const { values } = readExportStudyFlags(argv);
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new ExportStudyUsageError(parsed.error.issues.map((i) => i.message).join('\n'));
  const a = parsed.data;
  try {
    parseTimeframe(a.timeframe, '--timeframe');
  } catch (err) {
    throw new ExportStudyUsageError((err as Error).message);
  }
  const params = smcParamsSchema.safeParse({
    swing_length: a['swing-length'],
    close_break: a['close-break'],
    join_consecutive: a['join-consecutive'],
    close_mitigation: a['close-mitigation'],
    range_percent: a['range-percent'],
  });
  if (!params.success) {
    const issue = params.error.issues[0]!;
    throw new ExportStudyUsageError(`--${String(issue.path[0]).replaceAll('_', '-')}: ${issue.message}`);
  }
  return {
    study: a.study,
    contractId: a.contract,
    timeframeText: a.timeframe,
    out: a.out,
    from: a.from ? Date.parse(a.from) : undefined,
    params: params.data,
  };
}

/** Reads the stored bars, computes the study and writes the file; returns how many bars it covers. */
export async function exportStudy(pool: Pool, args: ExportStudyArgs): Promise<number> {
  const series = { contractId: args.contractId, timeframe: parseTimeframe(args.timeframeText, '--timeframe') };
  const bars: OhlcBar[] = [];
  let after = args.from === undefined ? undefined : args.from - 1;
  for (;;) {
    const page = await closedBarsAfter(pool, series, after, PAGE_SIZE);
    for (const b of page) bars.push(b);
    if (page.length < PAGE_SIZE) break;
    after = page[page.length - 1]!.time;
  }
  if (bars.length === 0) {
    throw new ExportStudyUsageError(
      `no closed ${formatTimeframe(series.timeframe)} bars of ${args.contractId} stored${args.from === undefined ? '' : ` from ${new Date(args.from).toISOString()}`}`,
    );
  }
  const result = smcBatch(toSmcBars(bars), args.params)[args.study];
  writeFileSync(
    args.out,
    studyCsv(
      args.study,
      bars.map((b) => b.time),
      result,
    ),
  );
  return bars.length;
}

/** The command as the CLI runs it: exit code 0 done, 1 nothing to export, 2 bad arguments. */
export async function runExportStudy(
  argv: readonly string[],
  openPool: () => Promise<Pool>,
  out: { log(text: string): void; error(text: string): void } = console,
): Promise<number> {
  let args: ExportStudyArgs;
  try {
    args = parseExportStudyArgs(argv);
  } catch (err) {
    out.error(exportStudyUsageError((err as Error).message));
    return 2;
  }
  try {
    const n = await exportStudy(await openPool(), args);
    out.log(`export-study ${args.study} ${args.contractId} ${args.timeframeText}: ${n} bars written to ${args.out}`);
    return 0;
  } catch (err) {
    if (!(err instanceof ExportStudyUsageError)) throw err;
    out.error(err.message);
    return 1;
  }
}

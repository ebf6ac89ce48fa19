// `npm run analyzer -- score …`: a detector's precision, recall and F1 against the hand labels of a
// range, exact-bar and ±k bars, as a table or JSON (the matching rule: core detection-matching.ts).
import type { Writable } from 'node:stream';
import {
  DEFAULT_SCORE_K,
  DETECTOR_IDS,
  DETECTORS,
  isDetectorId,
  MAX_SCORE_K,
  parseTimeframe,
  type ScoreResponse,
  scoreWire,
  type WireMatchResult,
  type WireScoreMetrics,
} from '@barstream/core';
import { type Queryable, scoreRange, type ScoreRangeQuery } from '@barstream/core/node';
import { readScoreFlags, SCORE_USAGE } from './score-flags.ts';
import { writeUsageError } from './usage-answer.ts';

export type ParsedScoreArgs =
  { readonly help: true } | { readonly error: string } | { readonly query: ScoreRangeQuery; readonly json: boolean };

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms or ISO-8601; a date and time without an offset is UTC (Date.parse would take local time). */
export function parseCliInstant(text: string, flag: string): Date | string {
  const iso = text.trim().replace(' ', 'T');
  const ms = /^\d{1,15}$/.test(iso) ? Number(iso) : Date.parse(iso.includes('T') && !HAS_OFFSET.test(iso) ? `${iso}Z` : iso);
  return Number.isFinite(ms) ? new Date(ms) : `${flag}: '${text}' is not an ISO-8601 time or epoch milliseconds`;
}

export function parseScoreArgs(argv: readonly string[]): ParsedScoreArgs {
  let values;
  try {
    ({ values } = readScoreFlags(argv));
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (values.help) return { help: true };
  const missing = (['contract', 'timeframe', 'detector'] as const).filter((k) => !values[k]);
  if (missing.length > 0) return { error: `missing ${missing.map((k) => `--${k}`).join(', ')}` };
  const detector = values.detector as string;
  if (!isDetectorId(detector)) return { error: `--detector: '${detector}' is not one of ${DETECTOR_IDS.join(', ')}` };
  let timeframe;
  try {
    timeframe = parseTimeframe(values.timeframe as string, '--timeframe');
  } catch (err) {
    return { error: (err as Error).message };
  }
  const k = values.k === undefined ? DEFAULT_SCORE_K : /^\d{1,4}$/.test(values.k) ? Number(values.k) : Number.NaN;
  if (!(k <= MAX_SCORE_K)) return { error: `--k: must be a whole number of bars from 0 to ${MAX_SCORE_K}` };
  const from = values.from === undefined ? undefined : parseCliInstant(values.from, '--from');
  const to = values.to === undefined ? undefined : parseCliInstant(values.to, '--to');
  if (typeof from === 'string') return { error: from };
  if (typeof to === 'string') return { error: to };
  if (from && to && from > to) return { error: '--from: must not be after --to' };
  return {
    json: values.json === true,
    query: {
      contractId: values.contract as string,
      timeframe,
      detector: DETECTORS[detector],
      analyzerId: values.analyzer,
      author: values.author,
      k,
      from,
      to,
    },
  };
}

const percent = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function tableRows(name: string, r: WireMatchResult): string[][] {
  const row = (dir: string, m: WireScoreMetrics) => [
    name,
    dir,
    String(m.tp),
    String(m.fp),
    String(m.fn),
    percent(m.precision),
    percent(m.recall),
    percent(m.f1),
  ];
  return [row('up', r.up), row('down', r.down), row('all', r.overall)];
}

/** The score as an aligned text table: a title line, then exact and ±k rows per direction. */
export function formatScoreTable(response: ScoreResponse): string {
  const header = ['match', 'dir', 'TP', 'FP', 'FN', 'precision', 'recall', 'F1'];
  const rows = [header, ...tableRows('exact', response.exact), ...tableRows(`±${response.tolerant.k}`, response.tolerant)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const lines = rows.map((r) =>
    r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  '),
  );
  const labels = response.exact.events.filter((e) => e.source === 'label').length;
  const detections = response.exact.events.length - labels;
  const range = response.from === null ? 'no labels' : `${response.from} → ${response.to}`;
  const title = `${response.contract_id} ${response.timeframe} ${response.detector}${response.analyzer_id ? ` (${response.analyzer_id})` : ''}${
    response.author === null ? '' : ` author ${response.author}`
  }: ${range}, ${response.bars} bars, ${labels} labels, ${detections} detections`;
  return `${title}\n${lines.join('\n')}\n`;
}

export interface CommandIo {
  /** Opened only once the arguments are good: a usage error needs no database. */
  readonly db: () => Promise<Queryable>;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Runs the command: 0 printed, 2 a usage error. */
export async function runScoreCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseScoreArgs(argv);
  if ('help' in parsed) {
    io.stdout.write(`${SCORE_USAGE}\n`);
    return 0;
  }
  if ('error' in parsed) {
    return writeUsageError(io.stderr, parsed.error, SCORE_USAGE);
  }
  const scored = await scoreRange(await io.db(), parsed.query);
  const response = scoreWire(scored, scored);
  io.stdout.write(parsed.json ? `${JSON.stringify(response, null, 2)}\n` : formatScoreTable(response));
  return 0;
}

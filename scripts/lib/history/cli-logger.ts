// A pino logger (what the provider clients take) that prints one readable line per record through
// `write`, so a retry warning lands above the progress bars instead of as JSON inside them.
import type { Logger } from '@barstream/core/node';
import { pino } from 'pino';

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'service', 'msg']);

export function cliLogger(level: string, write: (line: string) => void): Logger {
  return pino({ name: 'history', level }, { write: (json: string) => write(formatRecord(json)) });
}

export function formatRecord(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const fields = Object.entries(record)
    .filter(([k]) => !OMITTED.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const level = LEVEL_NAMES[Number(record.level)] ?? 'log';
  return `${level}: ${typeof record.msg === 'string' ? record.msg : ''}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`;
}

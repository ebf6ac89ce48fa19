// Renders a pino JSON log line for a terminal: time, level, message, then the other fields.
const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: '\x1b[33mWARN \x1b[0m',
  50: '\x1b[31mERROR\x1b[0m',
  60: '\x1b[31mFATAL\x1b[0m',
};
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'name']);

export function renderLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry.msg !== 'string' || typeof entry.level !== 'number') return line;
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const rest = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${LEVELS[entry.level] ?? entry.level} ${entry.msg}${rest ? `  \x1b[2m${rest}\x1b[0m` : ''}`;
}

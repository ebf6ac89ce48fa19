// Database CPU per statement and per server process, for finding where a benchmark's database time goes
// (Linux /proc; bench:trade's BENCH_STATEMENTS=1). Every query call of a pg client reads its backend's
// /proc/<pid>/schedstat (CPU time in ns): the backend's CPU from one call to the next on that client is
// the earlier statement's (an idle backend uses none). Per process: schedstat of each child of the
// postmaster (backends, walwriter, checkpointer, …) before and after.
import { readFileSync } from 'node:fs';
import pg from 'pg';

function cpuNs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

function label(query: unknown): string {
  const q = query as { text?: unknown; constructor?: { name?: string } } | null;
  const text = typeof query === 'string' ? query : typeof q?.text === 'string' ? q.text : (q?.constructor?.name ?? '?');
  return text.replace(/\s+/g, ' ').slice(0, 72);
}

interface Open {
  readonly label: string;
  readonly at: number;
}

/** Patches pg.Client's query (once) to charge each statement its backend's CPU while `counting`. */
export class StatementCpu {
  private readonly totals = new Map<string, { ns: number; calls: number }>();
  private readonly open = new Map<pg.Client, Open>();
  private counting = false;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the client as `this`
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patch below needs this tracker and pg's client both
    const tracker = this;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      tracker.close(this);
      const pid = (this as unknown as { processID: number | null }).processID;
      if (pid) tracker.open.set(this, { label: label(args[0]), at: cpuNs(pid) });
      return original.apply(this, args);
    } as typeof pg.Client.prototype.query;
  }

  start(): void {
    this.totals.clear();
    this.counting = true;
  }

  /** Closes every statement still open and returns the totals, dearest first. */
  stop(): [string, { ns: number; calls: number }][] {
    for (const client of [...this.open.keys()]) this.close(client);
    this.counting = false;
    return [...this.totals].sort((a, b) => b[1].ns - a[1].ns);
  }

  private close(client: pg.Client): void {
    const open = this.open.get(client);
    const pid = (client as unknown as { processID: number | null }).processID;
    this.open.delete(client);
    if (!open || !pid || !this.counting) return;
    const total = this.totals.get(open.label) ?? { ns: 0, calls: 0 };
    total.ns += cpuNs(pid) - open.at;
    total.calls++;
    this.totals.set(open.label, total);
  }
}

/** CPU ns so far of the postmaster `pid` and each of its live children, by "pid command line". */
export function serverProcessCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>([[`${pid} postmaster`, cpuNs(pid)]]);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
  for (const child of children) {
    try {
      const command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.set(`${child} ${command.slice(0, 60)}`, cpuNs(child));
    } catch {
      // exited
    }
  }
  return out;
}

// A supervised child process: own process group, prefixed output, restart on crash, bounded stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { backoffDelay, sleep } from '@barstream/core';
import { FailureStreak, isExternalSignal } from './failure-streak.ts';
import { renderLogLine } from './log-line.ts';

export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly color: number;
  /** Restart after an unexpected exit (services: yes; one-shot builds: no). */
  readonly restart: boolean;
  /** Called instead of a restart once the child failed the same way `SAME_FAILURES_LIMIT` times in a row. */
  readonly onGiveUp?: (reason: string) => void;
}

/** A service that fails identically this many times in a row is not restarted again. */
export const SAME_FAILURES_LIMIT = 3;
/** A run longer than this was not a crash loop: the count of failures and the backoff start over. */
const STABLE_RUN_MS = 60_000;
const OUTPUT_DRAIN_MS = 1_000;
/** The first restart's delay (half to all of it): short, since a restart is what brings the service
 * back; long enough that a process failing at once does not spin. */
const RESTART_INITIAL_MS = 200;

export class SupervisedChild {
  private child: ChildProcess | undefined;
  private stopping = false;
  /** Failures in a row of runs shorter than STABLE_RUN_MS: the backoff's attempt. */
  private failures = 0;
  private startedAt = 0;
  private exited: Promise<number | null> = Promise.resolve(null);
  private lastLine = '';
  private readonly streak = new FailureStreak(SAME_FAILURES_LIMIT);

  constructor(
    private readonly spec: ChildSpec,
    private readonly write: (line: string) => void,
  ) {}

  start(): void {
    this.startedAt = Date.now();
    const child = spawn(this.spec.command, [...this.spec.args], {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so stop() reaches grandchildren and a terminal Ctrl-C reaches only us.
      detached: true,
    });
    this.child = child;
    const prefix = `\x1b[${this.spec.color}m${this.spec.name.padEnd(11)}\x1b[0m| `;
    const outputClosed: Promise<void>[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const lines = createInterface({ input: stream }).on('line', (line) => {
        const rendered = renderLogLine(line);
        if (rendered.trim()) this.lastLine = rendered.trim();
        this.write(prefix + rendered);
      });
      outputClosed.push(new Promise((resolve) => lines.once('close', resolve)));
    }
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.child = undefined;
        resolve(code);
        if (this.stopping || !this.spec.restart) return;
        // Its last lines (the reason) can arrive after 'exit'; a grandchild holding the pipes open
        // must not delay the restart for long.
        void Promise.race([Promise.all(outputClosed), sleep(OUTPUT_DRAIN_MS)]).then(() => this.afterCrash(code, signal, prefix));
      });
    });
  }

  private afterCrash(code: number | null, signal: NodeJS.Signals | null, prefix: string): void {
    if (this.stopping) return;
    // A service that ran for a while, or was killed from outside (kill -9), starts again at once; a
    // crash loop backs off, and one that keeps failing the same way is given up on with its reason.
    const stable = Date.now() - this.startedAt > STABLE_RUN_MS;
    if (stable) this.streak.reset();
    const killed = signal !== null && isExternalSignal(signal);
    this.failures = stable ? 0 : killed ? this.failures : this.failures + 1;
    const giveUp = this.streak.record({ code, signal, lastLine: this.lastLine });
    this.lastLine = '';
    if (giveUp && this.spec.onGiveUp) {
      this.write(`${prefix}exited (${signal ?? `code ${code}`}); ${giveUp}: not restarting`);
      this.spec.onGiveUp(`${this.spec.name} ${giveUp}`);
      return;
    }
    const delay = backoffDelay(this.failures + 1, { initialMs: RESTART_INITIAL_MS, maxMs: 15_000 });
    this.write(`${prefix}exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
    setTimeout(() => {
      if (!this.stopping) this.start();
    }, delay);
  }

  /** Resolves with the exit code (for one-shot children). */
  wait(): Promise<number | null> {
    return this.exited;
  }

  /** SIGTERM to the whole group, SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child?.pid) return;
    const pid = child.pid;
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    signalGroup(pid, 'SIGKILL'); // anything the child left behind in its group
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

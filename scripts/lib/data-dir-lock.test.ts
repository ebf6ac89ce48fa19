import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, lockPathOf } from './data-dir-lock.ts';

let dir: string;
let dataDir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'barstream-lock-'));
  dataDir = join(dir, 'postgres');
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A live Node.js process other than this one (the lock's holder in a real second run). */
async function liveNode(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child.pid as number;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

function writeLock(pid: number): string {
  const content = `${JSON.stringify({ pid, command: 'npm start', since: '2026-01-01T00:00:00.000Z' })}\n`;
  writeFileSync(lockPathOf(dataDir), content);
  return content;
}

describe('data dir lock', () => {
  it("is taken where the data dir's parent does not exist yet, as in a fresh clone (.data/postgres)", () => {
    const fresh = join(dir, '.data', 'postgres');
    const lock = acquireDataDirLock(fresh, 'npm start');
    expect(JSON.parse(readFileSync(lockPathOf(fresh), 'utf8'))).toMatchObject({ pid: process.pid, command: 'npm start' });
    lock.release();
    expect(existsSync(lockPathOf(fresh))).toBe(false);
  });

  it('is taken beside the data dir, names its holder, and is removed on release', () => {
    const lock = acquireDataDirLock(dataDir, 'npm start');
    expect(lock.path).toBe(`${dataDir}.lock`);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, command: 'npm start' });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses while a live process holds it, naming the PID and how to stop it, and changes nothing', async () => {
    const pid = await liveNode();
    const content = writeLock(pid);
    let error: unknown;
    try {
      acquireDataDirLock(dataDir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toBe(
      `data dir ${dataDir} is in use by PID ${pid} (\`npm start\`, since 2026-01-01T00:00:00.000Z); ` +
        `stop that one first (Ctrl-C in its terminal, or kill ${pid}), or set BARSTREAM_DATA_DIR to another directory`,
    );
    expect(readFileSync(lockPathOf(dataDir), 'utf8')).toBe(content);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('takes over a lock whose holder was killed', async () => {
    writeLock(await deadPid());
    const lock = acquireDataDirLock(dataDir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over a lock file that is unreadable (a crash mid-write)', () => {
    writeFileSync(lockPathOf(dataDir), '{"pid": 12');
    const lock = acquireDataDirLock(dataDir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('release() leaves a lock that another process took over alone', async () => {
    const lock = acquireDataDirLock(dataDir);
    const content = writeLock(await liveNode());
    lock.release();
    expect(readFileSync(lockPathOf(dataDir), 'utf8')).toBe(content);
  });
});

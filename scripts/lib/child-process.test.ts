import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../tests/support/eventually.ts';
import { SupervisedChild } from './child-process.ts';

const node = (script: string, onGiveUp?: (reason: string) => void, lines: string[] = []): SupervisedChild =>
  new SupervisedChild(
    {
      name: 'probe',
      command: process.execPath,
      args: ['-e', script],
      cwd: process.cwd(),
      env: process.env,
      color: 0,
      restart: true,
      onGiveUp,
    },
    (line) => lines.push(stripVTControlCharacters(line)),
  );

describe('SupervisedChild', () => {
  it('gives up after the third identical failure in a row, with its last line, and starts it no more', async () => {
    const reasons: string[] = [];
    const lines: string[] = [];
    const child = node(
      `console.error('cannot open /nowhere/${'x'}.csv (pid ' + process.pid + ')'); process.exit(3)`,
      (r) => reasons.push(r),
      lines,
    );
    child.start();
    await eventually(() => Promise.resolve(reasons.length > 0), 30_000);
    expect(reasons).toEqual([
      expect.stringMatching(/^probe failed 3 times in a row the same way \(exit code 3: cannot open \/nowhere\/x\.csv \(pid \d+\)\)$/),
    ]);
    expect(lines.filter((l) => l.includes('| cannot open'))).toHaveLength(3);
    expect(lines.filter((l) => l.includes('restarting in'))).toHaveLength(2);
    await child.stop(1_000);
  }, 40_000);

  it('restarts a child killed from outside, however often', async () => {
    const lines: string[] = [];
    const child = node(
      `console.log('up ' + process.pid); setInterval(() => {}, 1000)`,
      () => {
        throw new Error('must not give up');
      },
      lines,
    );
    child.start();
    for (let kill = 1; kill <= 4; kill++) {
      await eventually(() => Promise.resolve(lines.filter((l) => l.includes('| up ')).length === kill), 20_000);
      const pid = Number(
        lines
          .filter((l) => l.includes('| up '))
          .at(-1)
          ?.split('up ')[1],
      );
      process.kill(pid, 'SIGKILL');
    }
    await eventually(() => Promise.resolve(lines.filter((l) => l.includes('| up ')).length === 5), 20_000);
    expect(lines.filter((l) => l.includes('exited (SIGKILL); restarting in'))).toHaveLength(4);
    await child.stop(1_000);
  }, 60_000);
});

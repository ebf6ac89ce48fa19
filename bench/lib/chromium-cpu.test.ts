import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuByType, cpuSince, treeCpu } from './chromium-cpu.ts';

describe('chromium-cpu', () => {
  it('counts a process new since the first read in full, and leaves out one that is gone', () => {
    const before = new Map([
      [1, 100],
      [2, 50],
    ]);
    const after = new Map([
      [1, 130],
      [3, 40],
    ]);
    expect(cpuSince(before, after)).toBe(30 + 40);
  });

  it("reads a child's CPU under this process and names a process without --type as the browser", async () => {
    const child = spawn(process.execPath, ['-e', 'for (;;);']);
    try {
      const before = treeCpu(process.pid);
      expect(before.has(child.pid as number)).toBe(true);
      // The busy child's ticks show up (a 10 ms clock): read again until they do.
      let after = treeCpu(process.pid);
      while ((after.get(child.pid as number) ?? 0) - (before.get(child.pid as number) ?? 0) === 0) {
        await new Promise((r) => setTimeout(r, 20));
        after = treeCpu(process.pid);
      }
      expect(cpuSince(before, after)).toBeGreaterThan(0);
      expect([...cpuByType(before, after).keys()]).toEqual(['browser']);
    } finally {
      child.kill();
    }
  });
});

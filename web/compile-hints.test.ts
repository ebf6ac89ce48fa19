import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPILE_HINT, markChunksForEagerCompile } from './compile-hints.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function chunks(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'chunks-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('markChunksForEagerCompile', () => {
  it('puts the hint on the first line of every script, nested ones too, and leaves other files alone', () => {
    const dir = chunks({ 'a.js': 'push([1,e=>{}])', 'pages/b.js': '"use strict";b()', 'c.css': 'body{}' });
    expect(markChunksForEagerCompile(dir)).toBe(2);
    expect(readFileSync(join(dir, 'a.js'), 'utf8')).toBe('//# allFunctionsCalledOnLoad\npush([1,e=>{}])');
    // A "use strict" directive stays the script's first statement: a comment line before it does not count.
    expect(readFileSync(join(dir, 'pages/b.js'), 'utf8')).toBe(`${COMPILE_HINT}"use strict";b()`);
    expect(readFileSync(join(dir, 'c.css'), 'utf8')).toBe('body{}');
  });

  it('marks a script once', () => {
    const dir = chunks({ 'a.js': 'a()' });
    markChunksForEagerCompile(dir);
    expect(markChunksForEagerCompile(dir)).toBe(0);
    expect(readFileSync(join(dir, 'a.js'), 'utf8')).toBe(`${COMPILE_HINT}a()`);
  });
});

// The build's entries are found, not listed: a new service directory is built without editing the build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allEntries, serviceEntries } from './build-entries.ts';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function tree(files: readonly string[]): string {
  root = mkdtempSync(join(tmpdir(), 'barstream-entries-'));
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), '');
  }
  return root;
}

describe('build entries', () => {
  it('finds every top-level directory with src/main.ts as a service, and every command in scripts/', () => {
    const dir = tree([
      'ingester/src/main.ts',
      'alerter/src/main.ts',
      'core/src/main.ts',
      'web/src/main.ts',
      'node_modules/pkg/src/main.ts',
      'docs/README.md',
      'scripts/migrate.ts',
      'scripts/start.ts',
      'scripts/start.test.ts',
      'scripts/run-services.sh',
      'scripts/lib/helper.ts',
    ]);
    expect(serviceEntries(dir).map((e) => e.name)).toEqual(['alerter', 'ingester']);
    expect(allEntries(dir)).toEqual([
      { name: 'alerter', source: 'alerter/src/main.ts', output: 'dist/alerter/main.js' },
      { name: 'ingester', source: 'ingester/src/main.ts', output: 'dist/ingester/main.js' },
      { name: 'scripts/migrate', source: 'scripts/migrate.ts', output: 'dist/scripts/migrate.js' },
      { name: 'scripts/start', source: 'scripts/start.ts', output: 'dist/scripts/start.js' },
    ]);
  });
});

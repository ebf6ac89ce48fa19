// The places that start the analyzer without importing ANALYZER_NODE_FLAGS spell them out: they must agree.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYZER_NODE_FLAGS } from './node-flags.ts';

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const flags = ANALYZER_NODE_FLAGS.join(' ');

describe('ANALYZER_NODE_FLAGS', () => {
  it('are flags this Node accepts (an unknown one makes node exit 9 with "bad option")', () => {
    expect(ANALYZER_NODE_FLAGS.length).toBeGreaterThan(0);
    const run = spawnSync(process.execPath, [...ANALYZER_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('`npm run start -w analyzer` runs with them', () => {
    const { scripts } = JSON.parse(read('analyzer/package.json')) as { scripts: { start: string } };
    expect(scripts.start).toBe(`node ${flags} --import tsx src/main.ts`);
  });

  it('run-services.sh starts the compiled analyzer with them', () => {
    const lines = read('scripts/run-services.sh')
      .split('\n')
      .filter((l) => l.includes('dist/analyzer/main.js') || /for s in .*analyzer.*start_one/.test(l));
    expect(lines).toEqual([`    start_one analyzer node ${flags} --enable-source-maps dist/analyzer/main.js`]);
  });

  it('docker-compose.yml runs the analyzer with them', () => {
    const command = read('docker-compose.yml')
      .split('\n')
      .find((l) => l.includes('dist/analyzer/main.js'));
    const expected = JSON.stringify(['node', ...ANALYZER_NODE_FLAGS, '--enable-source-maps', 'dist/analyzer/main.js']).replaceAll(
      ',',
      ', ',
    );
    expect(command?.trim()).toBe(`command: ${expected}`);
  });
});

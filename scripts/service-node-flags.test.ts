// The places that start a service without importing its NODE_FLAGS spell them out (its package.json's
// start script, run-services.sh, docker-compose.yml): they must agree with the one list.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYZER_NODE_FLAGS } from '../analyzer/src/node-flags.ts';
import { INGESTER_NODE_FLAGS } from '../ingester/src/node-flags.ts';

const ROOT = join(import.meta.dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe.each([
  ['ingester', INGESTER_NODE_FLAGS],
  ['analyzer', ANALYZER_NODE_FLAGS],
] as const)('%s node flags', (service, list) => {
  const flags = list.join(' ');

  it('are flags this Node accepts (an unknown one makes node exit 9 with "bad option")', () => {
    expect(list.length).toBeGreaterThan(0);
    const run = spawnSync(process.execPath, [...list, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it(`\`npm run start -w ${service}\` runs with them`, () => {
    const { scripts } = JSON.parse(read(`${service}/package.json`)) as { scripts: { start: string } };
    expect(scripts.start).toBe(`node ${flags} --import tsx src/main.ts`);
  });

  it('run-services.sh starts the compiled service with them', () => {
    const lines = read('scripts/run-services.sh')
      .split('\n')
      .filter((l) => l.includes(`dist/${service}/main.js`) || new RegExp(`for s in .*${service}.*start_one`).test(l));
    expect(lines).toEqual([`    start_one ${service} node ${flags} --enable-source-maps dist/${service}/main.js`]);
  });

  it('docker-compose.yml runs the service with them', () => {
    const command = read('docker-compose.yml')
      .split('\n')
      .find((l) => l.includes(`dist/${service}/main.js`));
    const expected = JSON.stringify(['node', ...list, '--enable-source-maps', `dist/${service}/main.js`]).replaceAll(',', ', ');
    expect(command?.trim()).toBe(`command: ${expected}`);
  });
});

// `npm run build`: every service and command compiled to JavaScript by esbuild (dist/), then the web
// app's production build (Next.js standalone output: web/.next/standalone, with its static files in
// place, is what npm start and the container image run).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allEntries } from './lib/build-entries.ts';
import { bundleEntries } from './lib/bundle-entries.ts';
import { placeStandaloneStaticFiles } from '../web/standalone-server.ts';

const USAGE = `Usage: npm run build [-- --no-web] [-- --quiet]

Compiles every service (<service>/src/main.ts → dist/<service>/main.js) and every command
(scripts/<name>.ts → dist/scripts/<name>.js) with esbuild, then builds the web app (next build,
standalone output, its static files placed beside its server.js). --no-web skips the web build;
--quiet prints only errors.
`;

let options: { web: boolean; quiet: boolean };
try {
  const { values } = parseArgs({
    options: { 'no-web': { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  options = { web: !values['no-web'], quiet: values.quiet ?? false };
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

const repoDir = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string): void => {
  if (!options.quiet) process.stdout.write(`${line}\n`);
};

const entries = allEntries(repoDir);
const started = performance.now();
try {
  await bundleEntries(repoDir, entries);
} catch (err) {
  process.stderr.write(`build failed: ${(err as Error).message}\n`);
  process.exit(1);
}
for (const entry of entries) {
  const kb = statSync(join(repoDir, entry.output)).size / 1024;
  say(`  ${entry.source.padEnd(34)} → ${entry.output} (${kb.toFixed(0)} kB)`);
}
say(`esbuild: ${entries.length} entries in ${Math.round(performance.now() - started)} ms`);

if (options.web) {
  say('next build (web)…');
  const result = spawnSync(process.execPath, [join(repoDir, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: join(repoDir, 'web'),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write(`web build failed (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
  placeStandaloneStaticFiles(repoDir);
}

// Runs after `npm install`: generates the Prisma client (offline) and builds the web app, so that
// `npm start` is live within seconds. BARSTREAM_SKIP_WEB_BUILD=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  // `prisma generate` needs no schema engine, but the CLI downloads one unless this points at a file.
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? join(root, 'prisma/offline-schema-engine.sh'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  NEXT_TELEMETRY_DISABLED: '1',
};

function run(label, args, cwd = root) {
  console.log(`barstream postinstall: ${label}`);
  const result = spawnSync(process.execPath, args, { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`barstream postinstall: ${label} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(join(root, 'node_modules/prisma/build/index.js'))) {
  console.log('barstream postinstall: prisma CLI not installed yet; skipping');
  process.exit(0);
}
run('prisma generate', [join(root, 'node_modules/prisma/build/index.js'), 'generate']);
if (process.env.BARSTREAM_SKIP_WEB_BUILD === '1') {
  console.log('barstream postinstall: BARSTREAM_SKIP_WEB_BUILD=1, web build skipped (npm start builds it when missing)');
} else if (existsSync(join(root, 'web/next.config.ts'))) {
  run('next build (web)', [join(root, 'node_modules/next/dist/bin/next'), 'build'], join(root, 'web'));
}

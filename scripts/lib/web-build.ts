// Decides whether the production web build is missing or older than its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { standaloneServerPath } from '../../web/standalone-server.ts';

const SOURCE_DIRS = [
  'web/app',
  'web/components',
  'web/lib',
  'core/src',
  'prisma/schema.prisma',
  'web/next.config.ts',
  'web/proxy.ts',
  'web/instrumentation.ts',
];

export function webBuildIsStale(rootDir: string): boolean {
  const buildId = join(rootDir, 'web', '.next', 'BUILD_ID');
  // A build from before `output: 'standalone'` has no server for npm start to run.
  if (!existsSync(buildId) || !existsSync(standaloneServerPath(rootDir))) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return SOURCE_DIRS.some((p) => newestMtime(join(rootDir, p)) > builtAt);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

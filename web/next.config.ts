// Next.js config for the barstream web UI: workspace TS packages compiled in, database drivers left to Node.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from 'next/constants.js';

/** The monorepo root: Turbopack must see core/ and prisma/ beside web/. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const nextConfig: NextConfig = {
  // core and prisma ship TypeScript source with explicit `.ts` import extensions.
  transpilePackages: ['@barstream/core', '@barstream/prisma'],
  // Native-leaning database drivers run as plain Node modules rather than being bundled.
  // node-cron: config validation checks the analyzer's sweep_cron with it; it forks and resolves paths
  // at runtime, which a bundle would break.
  // pg-listen: its pg-format requires a file by __dirname at runtime, which a bundle cannot resolve.
  // compression: /api/* gzip at level 1 (lib/server/api-gzip.ts), a plain Node middleware.
  serverExternalPackages: ['pg', 'pg-listen', '@prisma/adapter-pg', '@prisma/client', 'pino', 'node-cron', 'compression'],
  turbopack: { root: repoRoot },
  // The container image runs web/.next/standalone (server.js and only the files it traces), not the
  // whole node_modules; `next start` (npm start) keeps serving .next as before.
  output: 'standalone',
  outputFileTracingRoot: repoRoot,
  // pg-format (under pg-listen) requires its word list by a computed path the tracer cannot follow.
  outputFileTracingIncludes: { '*': ['../node_modules/pg-format/lib/*.js'] },
  poweredByHeader: false,
  reactStrictMode: true,
};

/** The chart boot script (web/lib/chart/chart-boot.ts): its own bundle, lightweight-charts and the
 * candle reader without React, which the /trends HTML loads beside the page's chunks so the candles
 * are drawn before hydration. Next bundles only what the page's components import, so esbuild builds
 * it here, before each build (and dev server start; not rebuilt on change), into public/. The first
 * line is V8's compile hint, as on the page's own chunks (compile-hints.ts). */
function buildChartBoot(): void {
  const webDir = dirname(fileURLToPath(import.meta.url));
  buildSync({
    absWorkingDir: webDir,
    entryPoints: ['lib/chart/chart-boot.ts'],
    outfile: 'public/chart-boot.js',
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    conditions: ['production'],
    legalComments: 'none',
    banner: { js: '//# allFunctionsCalledOnLoad' },
    logLevel: 'warning',
  });
}

export default function config(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_BUILD || phase === PHASE_DEVELOPMENT_SERVER) buildChartBoot();
  return nextConfig;
}

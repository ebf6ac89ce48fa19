// Next.js config for the barstream web UI: workspace TS packages compiled in, database drivers left to Node.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

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

export default nextConfig;

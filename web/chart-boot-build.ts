// A bench-only build of the chart boot script (web/lib/chart/chart-boot.ts) whose functions have their
// names: lightweight-charts' development bundle (the same code as its production one, unminified, with
// 24 asserts) and our sources, not minified, with a source map beside it. A Chromium trace of a first
// paint with this script in place of the served one (bench/web-trace.ts) then names what the served,
// minified one shows as "(anonymous) chart-boot.js". The served script is built by next.config.ts
// (minified, production bundle, no map); this one is never served by a build.
//   npm run build -w web, then, over the built one before the server's first start (which copies
//   web/public beside the standalone server; `npm run build` writes the served one again):
//   node --import tsx web/chart-boot-build.ts web/public/chart-boot.js
//   BENCH_WEB_SOURCEMAP=web/public/chart-boot.js.map BENCH_WEB_ONLY=paint BENCH_WEB_TRACE=1 npm run bench:web
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

export function buildNamedChartBoot(outfile: string): void {
  buildSync({
    absWorkingDir: dirname(fileURLToPath(import.meta.url)),
    entryPoints: ['lib/chart/chart-boot.ts'],
    outfile: resolve(outfile),
    bundle: true,
    minify: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    conditions: ['development'],
    sourcemap: 'linked',
    legalComments: 'none',
    banner: { js: '//# allFunctionsCalledOnLoad' },
    logLevel: 'warning',
  });
}

const out = process.argv[2];
if (out && resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) buildNamedChartBoot(out);

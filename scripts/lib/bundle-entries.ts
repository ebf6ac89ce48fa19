// Compiles entry points with esbuild, one ES module per entry (dist/<service>/main.js,
// dist/scripts/<command>.js) with its source map. esbuild rather than tsc: tsc would emit one file per
// module and leave the `.ts` import specifiers and the workspace packages (@barstream/*, which ship
// TypeScript) for something else to resolve; a bundle is one file Node runs as is, built in about a
// second for all entries. Packages from node_modules stay external (loaded by Node as installed: pg,
// prisma's engine, pino's workers); the workspace packages are bundled.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { BuildEntry } from './build-entries.ts';

/** Bare imports (packages) are left to Node, except our own workspace packages. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@barstream/') ? undefined : { path: args.path, external: true }));
  },
};

/** `import.meta.url` keeps naming the source file, not the bundle (prisma/migrate.ts finds its SQL
 * files beside it, the generated Prisma client its directory), as a path relative to the bundle: the
 * tree can move (a container image) as long as dist/ stays beside the sources' non-code files. */
function sourceImportMeta(outDir: string): Plugin {
  // Spelled in pieces: this file is bundled too (into the compiled `npm start`), and the literal
  // would be rewritten like any other occurrence.
  const needle = ['import', 'meta', 'url'].join('.');
  return {
    name: 'source-import-meta',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes(needle)) return undefined;
        const fromBundle = relative(outDir, args.path).split('\\').join('/');
        const url = `new URL(${JSON.stringify(fromBundle)}, ${needle}).href`;
        return { contents: source.replaceAll(needle, url), loader: 'ts' };
      });
    },
  };
}

/** Compiles every entry; throws with esbuild's messages when the code does not compile. Each file is
 * replaced whole (written aside, then renamed): another `npm start` from the same checkout may be
 * starting a service from it at that moment. */
export async function bundleEntries(repoDir: string, entries: readonly BuildEntry[]): Promise<void> {
  await Promise.all(
    entries.map(async (entry) => {
      const outfile = join(repoDir, entry.output);
      const result = await build({
        entryPoints: [join(repoDir, entry.source)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        // The oldest Node.js package.json's engines accepts, not the one building: an image may run another.
        target: 'node20.19',
        sourcemap: true,
        logLevel: 'silent',
        plugins: [externalPackages, sourceImportMeta(dirname(outfile))],
        write: false,
      });
      for (const file of result.outputFiles) {
        await mkdir(dirname(file.path), { recursive: true });
        const aside = `${file.path}.${process.pid}.tmp`;
        await writeFile(aside, file.contents);
        await rename(aside, file.path);
      }
    }),
  );
}

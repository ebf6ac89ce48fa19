// Each service's TypeScript compiled by esbuild into one ES module per service, when `npm start`
// starts: a restart after a crash then runs plain `node` on the bundle instead of transpiling and
// resolving every module through tsx's loader again (most of the time a restart took).
// Packages from node_modules stay external (loaded by Node as installed); the workspace packages
// (@barstream/*) are TypeScript and are bundled.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const BUNDLED_SERVICES = ['ingester', 'analyzer', 'broadcaster', 'alerter', 'trader'] as const;
export type BundledService = (typeof BUNDLED_SERVICES)[number];

/** In the service's own node_modules/.cache: ignored by git, and the packages it imports resolve as
 * from its sources (the workspace's node_modules first, then the root's). */
export function bundlePath(repoDir: string, service: BundledService): string {
  return join(repoDir, service, 'node_modules', '.cache', 'barstream', 'main.mjs');
}

/** Bare imports (packages) are left to Node, except our own workspace packages. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@barstream/') ? undefined : { path: args.path, external: true }));
  },
};

/** `import.meta.url` keeps naming the source file, not the bundle: prisma/migrate.ts finds its SQL
 * files beside it, the generated Prisma client its directory. */
const sourceImportMeta: Plugin = {
  name: 'source-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/** Builds every service's bundle; throws with esbuild's messages when the code does not compile.
 * Each file is replaced whole (written aside, then renamed): another `npm start` from the same
 * checkout may be starting a service from it at that moment. */
export async function bundleServices(repoDir: string): Promise<void> {
  await Promise.all(
    BUNDLED_SERVICES.map(async (service) => {
      const result = await build({
        entryPoints: [join(repoDir, service, 'src', 'main.ts')],
        outfile: bundlePath(repoDir, service),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: `node${process.versions.node.split('.')[0]}`,
        sourcemap: true,
        logLevel: 'silent',
        plugins: [externalPackages, sourceImportMeta],
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

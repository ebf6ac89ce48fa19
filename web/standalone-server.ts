// How the production web server runs: Next's standalone server (`output: 'standalone'`,
// web/.next/standalone/web/server.js), as the container image runs it. npm start's supervisor,
// `npm run start -w web` (web/scripts/start-server.ts) and bench:web start it through this file.
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { markChunksForEagerCompile } from './compile-hints.ts';
import { precompressFiles } from './precompress.ts';

/** The standalone tree mirrors the repository from next.config.ts's outputFileTracingRoot (the repo
 * root), so the web app is one level down in it. */
const STANDALONE_WEB = join('web', '.next', 'standalone', 'web');

export function standaloneServerPath(repoDir: string): string {
  return join(repoDir, STANDALONE_WEB, 'server.js');
}

/** Puts `.next/static` (and `public/`, when there is one) beside the standalone server.js, which serves
 * them from there: `next build` leaves them out of the standalone tree, meant for a CDN. The script
 * chunks get V8's compile hint on the way (compile-hints.ts), and every script and stylesheet a gzipped
 * copy beside it (precompress.ts), which the server answers from memory (lib/server/static-files.ts). `next build`
 * empties .next, so a static copy naming the current build (static/<BUILD_ID>) is current and kept;
 * otherwise each is copied beside and renamed into place (static last, as it marks the whole as
 * done), so a server never sees half a copy. */
export function placeStandaloneStaticFiles(repoDir: string): void {
  const webDir = join(repoDir, 'web');
  const serverDir = join(repoDir, STANDALONE_WEB);
  if (!existsSync(join(serverDir, 'server.js'))) {
    throw new Error(`${standaloneServerPath(repoDir)} is missing: build the web app (npm run build) first`);
  }
  const buildId = readFileSync(join(webDir, '.next', 'BUILD_ID'), 'utf8').trim();
  if (existsSync(join(serverDir, '.next', 'static', buildId))) return;
  copyInto(join(webDir, 'public'), join(serverDir, 'public'), precompressFiles);
  copyInto(join(webDir, '.next', 'static'), join(serverDir, '.next', 'static'), (copy) => {
    if (existsSync(join(copy, 'chunks'))) markChunksForEagerCompile(join(copy, 'chunks'));
    precompressFiles(copy);
  });
}

/** `prepare`: changes the copy before it goes into place. */
function copyInto(from: string, to: string, prepare?: (copy: string) => void): void {
  if (!existsSync(from)) return;
  const partial = `${to}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(from, partial, { recursive: true });
  prepare?.(partial);
  rmSync(to, { recursive: true, force: true });
  try {
    renameSync(partial, to);
  } catch (err) {
    // Another start placed the same files first.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(to)) throw err;
  }
}

/** The standalone server takes its address from the environment, not from flags. */
export function standaloneServerEnv(host: string, port: number): { HOSTNAME: string; PORT: string } {
  return { HOSTNAME: host, PORT: String(port) };
}

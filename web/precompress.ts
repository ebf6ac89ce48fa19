// Gzipped copies of the served scripts and stylesheets, made once when the static files are placed
// beside the standalone server (standalone-server.ts), so the server answers them without compressing
// each request (Next.js gzips every static answer on the fly, at zlib's default level) and from memory
// before Next.js's routing (lib/server/static-files.ts). Level 9: made once, read for every request.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

/** The suffix of a file's gzipped copy, beside it. */
export const GZIP_SUFFIX = '.gz';

const COMPRESSED_EXTENSIONS = ['.js', '.css'];

/** Writes `<file>.gz` beside each `.js` and `.css` file under `dir` (recursively); returns how many. */
export function precompressFiles(dir: string): number {
  let written = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !COMPRESSED_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) continue;
    const path = join(entry.parentPath, entry.name);
    writeFileSync(path + GZIP_SUFFIX, gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION }));
    written++;
  }
  return written;
}

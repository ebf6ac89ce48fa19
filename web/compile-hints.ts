// V8's explicit compile hint on the served script chunks: a first line `//# allFunctionsCalledOnLoad`
// makes Chromium (136 and later) compile every function of the file eagerly, on the background thread
// that already parses the script while it downloads, instead of on the main thread when each function
// is first called. Turbopack's chunks are lists of module factories (`e=>{…}`) that V8 would otherwise
// pre-parse and then compile one by one on the main thread as the page instantiates them: on a cold
// /trends that was most of the main thread's time before the chart mounted. Every chunk is marked: in
// this app a chunk is only loaded to run it (the page's own, or a lazily imported module about to
// run). Other engines read the line as a comment. Next writes no source maps for these chunks, so no
// line mapping shifts.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/** Marks each `.js` file under `chunksDir` (Next's static/chunks) once; returns how many it marked. */
export function markChunksForEagerCompile(chunksDir: string): number {
  let marked = 0;
  for (const entry of readdirSync(chunksDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const path = join(entry.parentPath, entry.name);
    const text = readFileSync(path, 'utf8');
    if (text.startsWith(COMPILE_HINT)) continue;
    writeFileSync(path, COMPILE_HINT + text);
    marked++;
  }
  return marked;
}

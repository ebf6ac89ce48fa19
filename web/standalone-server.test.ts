import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPILE_HINT } from './compile-hints.ts';
import { placeStandaloneStaticFiles, standaloneServerPath } from './standalone-server.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A repository with a web build as `next build` leaves it: static files outside the standalone tree. */
function builtRepo(buildId: string, withPublic = false): string {
  const root = mkdtempSync(join(tmpdir(), 'standalone-'));
  roots.push(root);
  build(root, buildId);
  write(standaloneServerPath(root), '// server');
  if (withPublic) write(join(root, 'web/public/robots.txt'), 'User-agent: *');
  return root;
}

function build(root: string, buildId: string): void {
  write(join(root, 'web/.next/BUILD_ID'), buildId);
  write(join(root, `web/.next/static/${buildId}/_buildManifest.js`), buildId);
  write(join(root, 'web/.next/static/chunks/app.js'), `chunk of ${buildId}`);
}

const placed = (root: string, path: string): string => join(root, 'web/.next/standalone/web', path);

describe('placeStandaloneStaticFiles', () => {
  it('puts .next/static and public/ beside the standalone server.js', () => {
    const root = builtRepo('b1', true);
    placeStandaloneStaticFiles(root);
    expect(readFileSync(placed(root, '.next/static/chunks/app.js'), 'utf8')).toBe(`${COMPILE_HINT}chunk of b1`);
    // Its gzipped copy is of the marked chunk (the server answers it: lib/server/static-files.ts).
    expect(gunzipSync(readFileSync(placed(root, '.next/static/chunks/app.js.gz'))).toString()).toBe(`${COMPILE_HINT}chunk of b1`);
    expect(existsSync(placed(root, 'public/robots.txt.gz'))).toBe(false);
    // The build's own copy is left as built.
    expect(readFileSync(join(root, 'web/.next/static/chunks/app.js'), 'utf8')).toBe('chunk of b1');
    expect(readFileSync(placed(root, '.next/static/b1/_buildManifest.js'), 'utf8')).toBe('b1');
    expect(readFileSync(placed(root, 'public/robots.txt'), 'utf8')).toBe('User-agent: *');
    // No partial copy is left behind.
    expect(readdirSync(placed(root, '.next')).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('keeps the copy of the current build, and replaces that of an older one', () => {
    const root = builtRepo('b1');
    placeStandaloneStaticFiles(root);
    write(placed(root, '.next/static/chunks/app.js'), 'kept');
    placeStandaloneStaticFiles(root);
    expect(readFileSync(placed(root, '.next/static/chunks/app.js'), 'utf8')).toBe('kept');

    rmSync(join(root, 'web/.next/static'), { recursive: true });
    build(root, 'b2');
    placeStandaloneStaticFiles(root);
    expect(readFileSync(placed(root, '.next/static/chunks/app.js'), 'utf8')).toBe(`${COMPILE_HINT}chunk of b2`);
    expect(existsSync(placed(root, '.next/static/b1'))).toBe(false);
  });

  it('names the missing server and the command that builds it', () => {
    const root = builtRepo('b1');
    rmSync(standaloneServerPath(root));
    expect(() => placeStandaloneStaticFiles(root)).toThrow(/standalone\/web\/server\.js is missing: build the web app \(npm run build\)/);
  });
});

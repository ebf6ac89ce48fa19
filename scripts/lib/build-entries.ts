// What `npm run build` compiles: every service (a top-level directory with src/main.ts, so a new
// service such as alerter/ or trader/ is built as soon as it exists) and every command in scripts/.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildEntry {
  /** `ingester`, or `scripts/migrate` for a command. */
  readonly name: string;
  /** TypeScript source, relative to the repository root. */
  readonly source: string;
  /** The compiled ES module, relative to the repository root. */
  readonly output: string;
}

/** Directories that hold no service even when they contain a src/main.ts. */
const NOT_SERVICES = new Set(['node_modules', 'dist', 'web', 'core', 'prisma', 'tests', 'bench']);

export function serviceEntries(repoDir: string): BuildEntry[] {
  return readdirSync(repoDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !NOT_SERVICES.has(d.name))
    .filter((d) => existsSync(join(repoDir, d.name, 'src', 'main.ts')))
    .map((d) => ({ name: d.name, source: `${d.name}/src/main.ts`, output: servicePath(d.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function scriptEntries(repoDir: string): BuildEntry[] {
  return readdirSync(join(repoDir, 'scripts'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => {
      const name = `scripts/${f.slice(0, -'.ts'.length)}`;
      return { name, source: `${name}.ts`, output: `dist/${name}.js` };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function allEntries(repoDir: string): BuildEntry[] {
  return [...serviceEntries(repoDir), ...scriptEntries(repoDir)];
}

/** Where a service's compiled entry point lives, relative to the repository root. */
export function servicePath(service: string): string {
  return `dist/${service}/main.js`;
}

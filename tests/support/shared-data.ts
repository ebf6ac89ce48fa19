// Access to ../shared/data/mes (present in CI, absent in a user's fresh clone: tests skip visibly).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MES_DIR = fileURLToPath(new URL('../../../shared/data/mes/', import.meta.url));
export const hasSharedData = existsSync(MES_DIR);

if (!hasSharedData) console.warn(`skipping tests that need real MES data: ${MES_DIR} not found`);

export function readShared(name: string): string {
  return readFileSync(`${MES_DIR}${name}`, 'utf8');
}

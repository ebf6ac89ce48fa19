// Unit tests of web/lib (pure modules, and server modules with their I/O mocked) and of the files beside
// this one (how the server runs); the root vitest run leaves web/ to this config.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { 'server-only': fileURLToPath(new URL('./lib/testing/server-only.ts', import.meta.url)) },
  },
  test: {
    name: 'web',
    include: ['lib/**/*.test.ts', '*.test.ts'],
    exclude: ['**/node_modules/**', '.next/**'],
  },
});

// Unit tests of web/lib (pure modules only; the root vitest run leaves web/ to this config).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'web',
    include: ['lib/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.next/**'],
  },
});

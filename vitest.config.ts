import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,ingester,analyzer,broadcaster,prisma,scripts}/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'web/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

// Two projects: the services/core/integration suite (with one real PostgreSQL for the run) and the
// web's pure library tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: [
            '{core,ingester,analyzer,alerter,broadcaster,trader,prisma,scripts}/**/*.test.ts',
            'bench/lib/**/*.test.ts',
            'tests/integration/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000, // a deadline for a loaded machine; tests wait on conditions, not time
          hookTimeout: 120_000,
        },
      },
      'web/vitest.config.ts',
    ],
  },
});

import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects: the services/core/integration suite (with one real PostgreSQL for the run) and the
// web's pure library tests.
export default defineConfig({
  test: {
    // Vitest's default is one worker less than the cores: one file at a time on a 2-core machine. The
    // files mostly wait on PostgreSQL and the processes they start (a whole run: ~8 min of CPU counted by
    // `time` in 14–15 min of wall time at load 5–14), so two run side by side even on 2 cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
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

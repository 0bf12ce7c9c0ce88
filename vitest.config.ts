import { defineConfig } from 'vitest/config';

// Two projects: fast pure unit tests, and integration tests that spawn real processes and sshd.
// A third, the long injection fuzzer, exists only under TASKER_FUZZ=1 (`npm run fuzz`).
const fuzz = {
  test: {
    name: 'fuzz',
    include: ['test/fuzz/**/*.fuzz.ts'],
    testTimeout: 24 * 3600_000,
    hookTimeout: 120_000,
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      ...(process.env.TASKER_FUZZ ? [fuzz] : []),
    ],
  },
});

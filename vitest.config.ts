import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // a warning or an unhandled rejection fails the run: the setup file throws them, vitest
    // reports what is thrown outside a test as an unhandled error, and such errors fail the run
    setupFiles: ['test/setup/fail-on-warnings.ts'],
    dangerouslyIgnoreUnhandledErrors: false,
  },
});

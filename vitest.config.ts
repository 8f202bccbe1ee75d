import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // the public SDK (package.json "exports") resolves to its source in tests, as tsconfig "paths" does for tsc
    alias: [
      { find: /^mpv2\/plugin$/, replacement: source('./src/sdk/plugin.ts') },
      { find: /^mpv2\/testing$/, replacement: source('./src/sdk/testing.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts', 'examples/*/test/**/*.test.js'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one fork less than the cores: one fork on a 2-core CI machine, where
    // most test time is spent waiting on ffmpeg, chromium and CLI children. Two forks at least.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // a warning or an unhandled rejection fails the run: the setup file throws them, vitest
    // reports what is thrown outside a test as an unhandled error, and such errors fail the run
    setupFiles: ['test/setup/fail-on-warnings.ts'],
    dangerouslyIgnoreUnhandledErrors: false,
  },
});

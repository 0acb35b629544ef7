import { defineConfig } from 'vitest/config';

/**
 * One `vitest run` runs everything: unit tests beside the code, the HTTP suite twice (SQLite and
 * PostgreSQL), and the real-browser tests. Files run in parallel across the two cores, except the
 * real-browser ones: one Chromium at a time is what two cores carry.
 */
const httpSuite = ['packages/server/test/http/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test.tsx', 'packages/server/test/support/**/*.test.ts', 'packages/js/test/**/*.test.ts'],
        },
      },
      { test: { name: 'http-sqlite', include: httpSuite, env: { LATCHKEY_TEST_DB: 'sqlite' } } },
      { test: { name: 'http-postgres', include: httpSuite, env: { LATCHKEY_TEST_DB: 'postgres' } } },
      {
        test: {
          name: 'processes',
          include: ['packages/server/test/process/**/*.test.ts'],
          env: { LATCHKEY_TEST_DB: 'postgres' },
          // Projects do not inherit the root's timeouts; a CLI run spawns node and migrates.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
        },
      },
    ],
  },
});

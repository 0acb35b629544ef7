import { defineConfig } from 'vitest/config';

/**
 * One `vitest run` runs everything: unit tests beside the code, the HTTP suite twice (SQLite and
 * PostgreSQL), and the real-browser tests. Files run in parallel across the two cores, except the
 * real-browser ones: one Chromium at a time is what two cores carry.
 */
const httpSuite = ['packages/server/test/http/**/*.test.ts'];

export default defineConfig({
  test: {
    // Inherited by each project through `extends: true` (Vitest 4 projects do not inherit the root
    // config by default, and would otherwise run with 5 s / 10 s limits that a loaded machine misses).
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test.tsx', 'packages/server/test/support/**/*.test.ts', 'packages/js/test/**/*.test.ts'],
        },
      },
      { extends: true, test: { name: 'http-sqlite', include: httpSuite, env: { LATCHKEY_TEST_DB: 'sqlite' } } },
      { extends: true, test: { name: 'http-postgres', include: httpSuite, env: { LATCHKEY_TEST_DB: 'postgres' } } },
      {
        extends: true,
        test: {
          name: 'processes',
          include: ['packages/server/test/process/**/*.test.ts'],
          env: { LATCHKEY_TEST_DB: 'postgres' },
          // Projects do not inherit the root's timeouts; a CLI run spawns node and migrates.
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
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

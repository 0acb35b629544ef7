import { defineConfig } from 'vitest/config';

/**
 * One `vitest run` runs everything: unit tests beside the code, the HTTP suite twice (SQLite and
 * PostgreSQL), and the real-browser tests. Files run in parallel across the two cores, except the
 * real-browser ones: one Chromium at a time is what two cores carry.
 *
 * Time limits are far above what a test takes on a busy 2-core machine, so they only catch a
 * hang: no outcome may depend on how fast the machine is (tests wait for events, never sleep).
 */
const httpSuite = ['packages/server/test/http/**/*.test.ts'];

export default defineConfig({
  test: {
    // Inherited by every project below through `extends: true` (an inline project does not
    // inherit the root's options otherwise, and would run with vitest's 5 s default).
    testTimeout: 60_000,
    hookTimeout: 120_000,
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
          // Each test spawns Node processes: seconds each on a loaded machine.
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
        },
      },
    ],
  },
});

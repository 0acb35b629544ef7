/**
 * Property-based fuzzing of every frontend API route (test/support/fuzz.ts), on the engine of the
 * project running it (SQLite or PostgreSQL): hostile ids, text, credentials, encodings, cookies
 * and origins, and every answer must be a JSON answer below 500 with no stack trace and nothing
 * logged as an error. A fixed seed makes CI reproducible (LATCHKEY_FUZZ_SEED picks another; a
 * failure prints the seed and the shrunk request to replay). The budget is a number of requests,
 * not a time: the generous timeout only guards against a hang. bench/fuzz.ts runs the long version.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/database.js';
import { type FuzzWorld, fuzzRequest, fuzzWorld, probe } from '../support/fuzz.js';

const SEED = Number(process.env.LATCHKEY_FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.LATCHKEY_FUZZ_RUNS ?? 2000);

describe(`frontend API fuzz (${testEngine})`, () => {
  let world: FuzzWorld;
  // Bounds against a hang only (these projects do not inherit the root hookTimeout).
  beforeAll(async () => {
    world = await fuzzWorld(testEngine);
  }, 120_000);
  afterAll(async () => world?.close(), 120_000);

  it(`answers ${RUNS} hostile requests without a 5xx, a stack trace or a logged error (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const byStatus = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (r) => {
        const { status, problems } = await probe(world, r);
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        expect(problems).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const counts = Object.fromEntries([...byStatus].sort(([a], [b]) => a - b));
    console.log(`fuzz ${testEngine}: ${JSON.stringify(counts)}`);
    // The run must be worth its name: most answers refused, and some got through to real work.
    expect(byStatus.get(200) ?? 0).toBeGreaterThan(RUNS / 50);
    expect([...byStatus.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(5);
  });
});

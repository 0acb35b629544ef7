/**
 * The long frontend API fuzz run (issue 9): the generator and the checks of the suite's fuzz test
 * (packages/server/test/support/fuzz.ts), 100,000 requests per engine by default, counted by
 * status. Not part of `npm run bench` (it measures robustness, not speed):
 *
 *   npx tsx bench/fuzz/run.ts                                  100,000 per engine, SQLite and PostgreSQL
 *   npx tsx bench/fuzz/run.ts --runs 20000 --engine sqlite --seed 7
 *
 * PostgreSQL is the one on 127.0.0.1:5432 (PG_ADMIN_URL overrides), as for the HTTP tests. The
 * world (a signed-in user, a pending sign-in and sign-up) is rebuilt every 10,000 requests, since
 * fuzzed requests end its session and delete its passkeys. Exit code 1 if any answer broke a rule.
 */
import fc from 'fast-check';
import type { TestEngine } from '../../packages/server/test/support/database.js';
import { fuzzRequest, fuzzWorld, probe } from '../../packages/server/test/support/fuzz.js';
import { flags, table } from '../lib/table.js';

const f = flags(process.argv.slice(2));
const RUNS = Number(f.get('runs') ?? 100_000);
const SEED = Number(f.get('seed') ?? 20261203);
const engine = f.get('engine');
const engines: TestEngine[] = engine === 'sqlite' || engine === 'postgres' ? [engine] : ['sqlite', 'postgres'];
const BATCH = 1000;
const WORLD_EVERY = 10_000;

const rows: (string | number)[][] = [];
const statuses = new Set<number>();
const results: { engine: TestEngine; counts: Map<number, number>; broken: number; problems: string[]; seconds: number }[] = [];
let failed = false;

for (const engine of engines) {
  const counts = new Map<number, number>();
  const problems: string[] = []; // the first 20, to print
  let broken = 0;
  const started = Date.now();
  let world = await fuzzWorld(engine);
  for (let done = 0; done < RUNS; done += BATCH) {
    if (done > 0 && done % WORLD_EVERY === 0) {
      await world.close();
      world = await fuzzWorld(engine);
    }
    // One sample per batch, each from its own seed: the run is reproducible batch by batch.
    for (const r of fc.sample(fuzzRequest, { seed: SEED + done, numRuns: Math.min(BATCH, RUNS - done) })) {
      const { status, problems: p } = await probe(world, r);
      counts.set(status, (counts.get(status) ?? 0) + 1);
      statuses.add(status);
      if (p.length && problems.length < 20) problems.push(`${p.join('; ')}\n  request: ${JSON.stringify(r).slice(0, 400)}`);
      if (p.length) {
        broken++;
        failed = true;
      }
    }
    // Running counts, so a run stopped early still reports what it saw.
    if ((done + BATCH) % 10_000 === 0) {
      const so = JSON.stringify(Object.fromEntries([...counts].sort(([a], [b]) => a - b)));
      process.stderr.write(`${engine}: ${done + BATCH} requests, ${Math.round((Date.now() - started) / 1000)} s, by status ${so}, broken ${broken}\n`);
    }
  }
  await world.close();
  results.push({ engine, counts, broken, problems, seconds: (Date.now() - started) / 1000 });
}

const columns = [...statuses].sort((a, b) => a - b);
for (const r of results) {
  const total = [...r.counts.values()].reduce((a, b) => a + b, 0);
  rows.push([r.engine, total, ...columns.map((s) => r.counts.get(s) ?? 0), r.broken, Math.round(r.seconds)]);
}
console.log(`Frontend API fuzz, seed ${SEED}: requests by status\n`);
console.log(table(['engine', 'requests', ...columns.map(String), 'broken answers', 's'], rows));
for (const r of results) for (const p of r.problems) console.log(`\n${r.engine}: ${p}`);
process.exit(failed ? 1 : 0);

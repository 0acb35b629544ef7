/**
 * Where a sign-in spends the server's time: runs Latchkey under V8's sampling profiler
 * (`node --cpu-prof`), drives sign-ins at it, and prints the samples grouped by component.
 *
 *   npx tsx bench/signin/profile.ts [--seconds 15] [--concurrency 16] [--top 25] [--database-url postgres://…]
 *
 * Registration and start-up are profiled too but are small next to the sign-in window. Sampled
 * time is wall-clock: on a loaded machine, time the server spends descheduled in a system call
 * (a socket write that wakes the driver) is charged to that call.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { summarise } from '../lib/profile-summary.js';
import { Driver, startLatchkey } from '../lib/processes.js';
import { flags } from '../lib/table.js';

const f = flags();
const seconds = Number(f.get('seconds') ?? 15);
const concurrency = Number(f.get('concurrency') ?? 16);
const top = Number(f.get('top') ?? 25);
/** `--database-url postgres://…`: profile on that (empty) PostgreSQL database instead of SQLite. */
const databaseUrl = f.get('database-url');
const work = mkdtempSync(path.join(tmpdir(), 'latchkey-profile-'));
const profiles = path.join(work, 'profiles');
try {
  const env: Record<string, string> = { LATCHKEY_DATA_DIR: path.join(work, 'data'), ...(databaseUrl && { DATABASE_URL: databaseUrl }) };
  const server = await startLatchkey(env, ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
  const driver = await Driver.start('latchkey', server);
  await driver.register(100, 8);
  const m = await driver.signIn(concurrency, seconds * 1000, 1000);
  await driver.close();
  await server.stop();
  console.log(`${m.result.ok} sign-ins in ${seconds} s at ${concurrency} concurrent; server CPU ${((m.serverCpuMs * 1000) / Math.max(1, m.result.ok)).toFixed(0)} µs per sign-in (profiler on)\n`);
  const file = readdirSync(profiles).find((n) => n.endsWith('.cpuprofile'));
  if (!file) throw new Error('the server wrote no profile');
  console.log(summarise(path.join(profiles, file), top));
} finally {
  rmSync(work, { recursive: true, force: true });
}

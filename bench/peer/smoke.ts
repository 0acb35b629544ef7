/**
 * Smoke test for the peer (bench/peer/server.mjs) and its driver adapter
 * (bench/signin/targets/peer.ts). Run from the repo root, after `npm ci --prefix bench/peer`:
 *
 *   npx tsx bench/peer/smoke.ts
 *
 * Starts the peer on a free port with a temporary SQLite file, registers 20 users, signs each in
 * 3 times (8 at a time), then runs one sequential sign-in loop for a couple of seconds to give a
 * rough single-loop rate. Stops the peer with SIGTERM and expects it to exit 0. Exits non-zero on
 * any error. PEER_SQLITE_WAL=1 in the environment is passed through to the peer.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Http } from '../lib/http.js';
import { peerTarget } from '../signin/targets/peer.js';
import type { BenchUser } from '../signin/target.js';

const USERS = 20;
const SIGNINS_PER_USER = 3;
const CONCURRENCY = 8;
const LOOP_MS = 3000;

const serverPath = fileURLToPath(new URL('./server.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'peer-smoke-'));
const child = spawn(process.execPath, [serverPath], {
  env: { ...process.env, PEER_DB: join(dir, 'peer.db'), HOST: '127.0.0.1', PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

/** Runs `count` tasks, `concurrency` at a time; collects errors instead of stopping. */
async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>) {
  const results: T[] = [];
  const errors: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        try {
          results[i] = await task(i);
        } catch (e) {
          errors.push(`#${i}: ${(e as Error).message}`);
        }
      }
    }),
  );
  return { results, errors };
}

async function main(): Promise<number> {
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('peer did not start within 30 s')), 30_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /^peer running at http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      } else {
        console.log(`[peer] ${line}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`peer exited early with ${code}`)));
  });
  const target = peerTarget(`http://localhost:${port}`);
  const http = new Http(`http://127.0.0.1:${port}`, CONCURRENCY);
  let failed = false;
  try {
    let t0 = performance.now();
    const reg = await pool(USERS, CONCURRENCY, (i) => target.register(http, i));
    const regMs = performance.now() - t0;
    const users = reg.results.filter((u): u is BenchUser => u !== undefined);
    console.log(
      `registered ${users.length}/${USERS} users in ${regMs.toFixed(0)} ms, ` +
        `${reg.errors.length} errors`,
    );
    for (const e of reg.errors.slice(0, 5)) console.log(`  ${e}`);

    t0 = performance.now();
    const total = users.length * SIGNINS_PER_USER;
    const sign = await pool(total, CONCURRENCY, (i) =>
      target.signIn(http, users[i % users.length]!),
    );
    const signMs = performance.now() - t0;
    console.log(
      `signed in ${total - sign.errors.length}/${total} times (concurrency ${CONCURRENCY}) ` +
        `in ${signMs.toFixed(0)} ms, ${sign.errors.length} errors`,
    );
    for (const e of sign.errors.slice(0, 5)) console.log(`  ${e}`);

    // One loop, one request in flight: a rough per-sign-in latency and rate, not a benchmark.
    let n = 0;
    let loopErrors = 0;
    t0 = performance.now();
    while (users.length > 0 && performance.now() - t0 < LOOP_MS) {
      try {
        await target.signIn(http, users[n % users.length]!);
      } catch (e) {
        if (loopErrors++ === 0) console.log(`  loop: ${(e as Error).message}`);
      }
      n++;
    }
    const loopMs = performance.now() - t0;
    console.log(
      `single loop: ${n} sign-ins in ${loopMs.toFixed(0)} ms = ` +
        `${((n / loopMs) * 1000).toFixed(1)}/s (${(loopMs / Math.max(n, 1)).toFixed(1)} ms each), ` +
        `${loopErrors} errors`,
    );
    failed =
      reg.errors.length > 0 || sign.errors.length > 0 || loopErrors > 0 || users.length !== USERS;
  } finally {
    await http.close();
    child.kill('SIGTERM');
  }
  const code = await exited;
  console.log(`peer exited with ${code}`);
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) failed = true;
  console.log(failed ? 'SMOKE FAILED' : 'SMOKE OK');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  },
);

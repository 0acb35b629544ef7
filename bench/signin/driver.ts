/**
 * The load driver: its own process (forked by an orchestrator), so its CPU use is not the
 * server's. It holds users and their private keys in memory and runs closed-loop load: a fixed
 * number of loops, each starting its next operation as soon as the last one ends.
 *
 * Protocol: see protocol.ts. Commands arrive one at a time; each gets exactly one reply.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SoftwareAuthenticator } from '../../packages/server/test/support/authenticator.js';
import { Http } from '../lib/http.js';
import { percentile, Samples } from '../lib/stats.js';
import type { DriverCommand, DriverEvent, DriverReply, ImportedUser, PhaseResult, TargetName } from './protocol.js';
import type { BenchUser, Target } from './target.js';

let target: Target;
let http: Http;
const users: BenchUser[] = [];

async function loadTarget(name: TargetName, origin: string): Promise<Target> {
  if (name === 'latchkey') return (await import('./targets/latchkey.js')).latchkeyTarget(origin);
  return (await import('./targets/peer.js')).peerTarget(origin);
}

/** The browser origin a target expects: its own URL, spelled `localhost` as the RP ID is. */
function originOf(url: string): string {
  const u = new URL(url);
  return `http://localhost:${u.port}`;
}

class Phase {
  readonly latencies = new Samples();
  errors = 0;
  readonly errorSamples: string[] = [];
  counting = false;

  /** Operations started before this (during the warm-up) are not counted, even if they end inside the window. */
  windowStart = Infinity;

  record(startedAt: number, error?: unknown): void {
    if (!this.counting || startedAt < this.windowStart) return;
    if (error === undefined) {
      this.latencies.push(performance.now() - startedAt);
      return;
    }
    this.errors++;
    const msg = error instanceof Error ? error.message : String(error);
    if (this.errorSamples.length < 5 && !this.errorSamples.includes(msg)) this.errorSamples.push(msg.slice(0, 300));
  }

  result(elapsedMs: number): PhaseResult {
    const s = this.latencies.sorted();
    return {
      ok: s.length,
      errors: this.errors,
      errorSamples: this.errorSamples,
      elapsedMs,
      p50: percentile(s, 50),
      p95: percentile(s, 95),
      p99: percentile(s, 99),
      max: s.length ? s[s.length - 1]! : 0,
    };
  }
}

function emit(e: DriverEvent): Promise<void> {
  return new Promise((resolve) => process.send!(e, () => resolve()));
}

async function register(count: number, concurrency: number): Promise<PhaseResult> {
  const phase = new Phase();
  phase.counting = true;
  phase.windowStart = 0;
  let next = users.length;
  const end = users.length + count;
  await emit({ event: 'window-start' });
  const t0 = performance.now();
  const loop = async () => {
    while (next < end) {
      const index = next++;
      const started = performance.now();
      try {
        users.push(await target.register(http, index));
        phase.record(started);
      } catch (err) {
        phase.record(started, err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = performance.now() - t0;
  await emit({ event: 'window-end' });
  return phase.result(elapsed);
}

async function signIn(concurrency: number, durationMs: number, warmupMs: number): Promise<PhaseResult> {
  if (users.length < concurrency) throw new Error(`need at least ${concurrency} users, have ${users.length}`);
  // Idle users in a ring: a user is never signed in by two loops at once, so its signature
  // counter always arrives in order, as with one real authenticator.
  const idle = [...users];
  const phase = new Phase();
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const user = idle.shift()!;
      const started = performance.now();
      try {
        await target.signIn(http, user);
        phase.record(started);
      } catch (err) {
        phase.record(started, err);
      }
      idle.push(user);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await sleep(warmupMs);
  await emit({ event: 'window-start' });
  phase.counting = true;
  const t0 = performance.now();
  phase.windowStart = t0;
  await sleep(durationMs);
  phase.counting = false;
  const elapsed = performance.now() - t0;
  await emit({ event: 'window-end' });
  stop = true;
  await Promise.all(loops);
  return phase.result(elapsed);
}

async function signInAtRate(rate: number, concurrency: number, durationMs: number, warmupMs: number): Promise<PhaseResult> {
  if (users.length < concurrency) throw new Error(`need at least ${concurrency} users, have ${users.length}`);
  const idle = [...users];
  const phase = new Phase();
  const interval = 1000 / rate;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const measureTo = measureFrom + durationMs;
  let inFlight = 0;
  let skipped = 0;
  let started = false;
  const running = new Set<Promise<void>>();
  for (let i = 0; ; i++) {
    const scheduled = t0 + i * interval;
    if (scheduled >= measureTo) break;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    if (!started && scheduled >= measureFrom) {
      started = true;
      await emit({ event: 'window-start' });
      phase.counting = true;
      phase.windowStart = measureFrom;
    }
    if (inFlight >= concurrency || idle.length === 0) {
      if (phase.counting) skipped++;
      continue;
    }
    const user = idle.shift()!;
    inFlight++;
    const counted = phase.counting;
    const op: Promise<void> = target.signIn(http, user).then(
      () => {
        if (counted) phase.record(scheduled);
      },
      (err: unknown) => {
        if (counted) phase.record(scheduled, err);
      },
    ).finally(() => {
      inFlight--;
      idle.push(user);
      running.delete(op);
    });
    running.add(op);
  }
  await Promise.all(running);
  phase.counting = false;
  const elapsed = performance.now() - measureFrom;
  await emit({ event: 'window-end' });
  return { ...phase.result(durationMs), skipped, elapsedMs: Math.max(durationMs, elapsed) };
}

function importUsers(list: ImportedUser[]): void {
  for (const u of list) {
    const authenticator = new SoftwareAuthenticator({ signCount: 'increment' });
    const privateKey = createPrivateKey({ key: Buffer.from(u.privateKeyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
    authenticator.credentials.push({
      id: new Uint8Array(Buffer.from(u.credentialId, 'base64url')),
      idB64: u.credentialId,
      rpId: u.rpId,
      userHandle: u.userHandle,
      alg: 'ES256',
      privateKey,
      publicKey: createPublicKey(privateKey),
      counter: u.counter,
    });
    users.push({ identifier: u.identifier, authenticator, credentialId: u.credentialId });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function handle(c: DriverCommand): Promise<DriverReply> {
  switch (c.cmd) {
    case 'init':
      target = await loadTarget(c.target, originOf(c.url));
      http = new Http(c.url, c.connections);
      return { ok: true };
    case 'register':
      return { ok: true, result: await register(c.count, c.concurrency), users: users.length };
    case 'import':
      importUsers(c.users);
      return { ok: true, users: users.length };
    case 'signin':
      return { ok: true, result: await signIn(c.concurrency, c.durationMs, c.warmupMs) };
    case 'signin-rate':
      return { ok: true, result: await signInAtRate(c.rate, c.concurrency, c.durationMs, c.warmupMs) };
    case 'exit':
      await http?.close();
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

let queue = Promise.resolve();
process.on('message', (c: DriverCommand) => {
  queue = queue.then(async () => {
    let reply: DriverReply;
    try {
      reply = await handle(c);
    } catch (err) {
      reply = { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    process.send!(reply);
  });
});
process.on('disconnect', () => process.exit(0));

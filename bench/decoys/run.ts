/**
 * How long identifier-first sign-in takes for a known identifier and for an unknown one (decoys,
 * docs/security.md "What an outsider can learn"), step by step, in one process on one database:
 * create the sign-in, prepare it, and attempt it with a forged assertion for the first offered
 * credential (a real passkey's id, or a decoy's). Interleaved, so both see the same machine.
 * Prints medians and the unknown/known ratio; it asserts nothing.
 *
 *   npx tsx bench/decoys/run.ts [--rounds 400] [--engine sqlite|postgres]
 */
import { performance } from 'node:perf_hooks';
import { createApp } from '../../packages/server/src/app.js';
import { buildDeps } from '../../packages/server/src/server.js';
import { SoftwareAuthenticator } from '../../packages/server/test/support/authenticator.js';
import { freshStore } from '../../packages/server/test/support/database.js';
import { median } from '../lib/stats.js';
import { flags, formatNumber, ratio, table } from '../lib/table.js';

const f = flags();
const ROUNDS = Number(f.get('rounds') ?? 400);
const engine = f.get('engine') === 'postgres' ? 'postgres' : 'sqlite';
const ORIGIN = 'http://localhost:3000';

const { store, cleanup } = await freshStore(engine);
const deps = await buildDeps(
  {
    mode: 'development', host: '127.0.0.1', port: 0, databaseUrl: null, sqlitePath: ':memory:', redisUrl: null,
    publicUrl: 'http://localhost:4000', rateLimit: null, trustProxy: false, staticDir: null, tokenAlg: 'ES256', settingsOverrides: {},
    email: { smtpUrl: null, from: 'Latchkey <no-reply@localhost>', replyTo: null },
  },
  { store, log: () => {} },
);
const app = createApp(deps);

async function post(path: string, body: Record<string, string>, cookie?: string) {
  const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = `__client=${cookie}`;
  const res = await app.request(path, { method: 'POST', headers, body: new URLSearchParams(body).toString() });
  const json = (await res.json()) as any;
  return { status: res.status, json, cookie: res.headers.get('set-cookie')?.match(/__client=([^;]*)/)?.[1] ?? cookie };
}

// The known account.
{
  const auth = new SoftwareAuthenticator();
  const su = await post('/v1/client/sign_ups', { username: 'known-user' });
  const prepared = await post(`/v1/client/sign_ups/${su.json.response.id}/prepare_verification`, { strategy: 'passkey' }, su.cookie);
  const credential = await auth.create(JSON.parse(prepared.json.response.verifications.passkey.nonce), { origin: ORIGIN });
  const done = await post(`/v1/client/sign_ups/${su.json.response.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: JSON.stringify(credential) }, su.cookie);
  if (done.status !== 200) throw new Error(`sign-up failed: ${JSON.stringify(done.json)}`);
}

// Mallory answers for any credential id with a key of her own.
const mallory = new SoftwareAuthenticator();
await mallory.create({ rp: { id: 'localhost', name: 'x' }, user: { id: 'bWFsbG9yeQ', name: 'm', displayName: 'm' }, challenge: 'AAAA', pubKeyCredParams: [] }, { origin: ORIGIN });

const steps = ['create', 'prepare', 'attempt'] as const;
const times = { known: { create: [], prepare: [], attempt: [] }, unknown: { create: [], prepare: [], attempt: [] } } as Record<'known' | 'unknown', Record<(typeof steps)[number], number[]>>;
const statuses = new Set<string>();

async function round(who: 'known' | 'unknown') {
  const identifier = who === 'known' ? 'known-user' : 'nobody-here';
  let t = performance.now();
  const created = await post('/v1/client/sign_ins', { identifier });
  times[who].create.push(performance.now() - t);
  const id = created.json.response.id;
  t = performance.now();
  const prepared = await post(`/v1/client/sign_ins/${id}/prepare_first_factor`, { strategy: 'passkey' }, created.cookie);
  times[who].prepare.push(performance.now() - t);
  const options = JSON.parse(prepared.json.response.first_factor_verification.nonce);
  const target = options.allowCredentials[0].id;
  const forged = await mallory.get(options, { origin: ORIGIN, credentialId: mallory.credentials[0]!.idB64, tamper: { id: target, rawId: target, userHandle: null } });
  t = performance.now();
  const attempt = await post(`/v1/client/sign_ins/${id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: JSON.stringify(forged) }, created.cookie);
  times[who].attempt.push(performance.now() - t);
  statuses.add(`${who}: ${attempt.status} ${attempt.json.errors?.[0]?.code}`);
}

for (let i = 0; i < 20; i++) await round(i % 2 ? 'known' : 'unknown'); // warm-up
for (const k of ['known', 'unknown'] as const) for (const s of steps) times[k][s].length = 0;
// ABBA order: a round's cost depends a little on the round before it (GC, caches), so neither side always goes first.
for (let i = 0; i < ROUNDS; i++) await round(i % 4 === 0 || i % 4 === 3 ? 'known' : 'unknown');

console.log(`Identifier-first sign-in, known vs unknown identifier (${engine}, ${ROUNDS / 2} rounds each): median ms per request\n`);
console.log(
  table(
    ['step', 'known', 'unknown (decoys)', 'unknown / known'],
    steps.map((s) => [s, median(times.known[s]), median(times.unknown[s]), ratio(median(times.unknown[s]), median(times.known[s]))]),
  ),
);
console.log(`\nattempt answers: ${[...statuses].sort().join('; ')}`);
console.log(`(medians in ms; ${formatNumber(ROUNDS)} rounds interleaved)`);
await cleanup();

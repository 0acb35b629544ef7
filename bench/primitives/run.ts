/**
 * The costs that bound a passkey sign-in on this machine, each measured alone, and Latchkey's
 * full sign-in beside their sum: how close the server is to what its parts allow.
 *
 *   npx tsx bench/primitives/run.ts [--quick]
 *
 * In-process primitives run in rounds (median reported); HTTP floors and the sign-in itself are
 * measured as server CPU per request from /proc/<pid>/stat, with the client in this process.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import SQLite from 'better-sqlite3';
import { createLocalJWKSet, exportJWK, jwtVerify, SignJWT } from 'jose';
import { createTokenVerifier } from '../../packages/backend/src/verify-token.js';
import type { DomainPolicy } from '../../packages/server/src/domains/index.js';
import { jwtSigner } from '../../packages/server/src/sessions/jwt.js';
import { verifyAuthentication } from '../../packages/server/src/webauthn/verify-authentication.js';
import { SoftwareAuthenticator } from '../../packages/server/test/support/authenticator.js';
import { Http } from '../lib/http.js';
import { Driver, ROOT, startLatchkey, startServer } from '../lib/processes.js';
import { cpuMs } from '../lib/proc.js';
import { median } from '../lib/stats.js';
import { flags, formatNumber, ratio, table } from '../lib/table.js';

const quick = flags().has('quick');
const ROUND_MS = quick ? 150 : 400;
const ROUNDS = quick ? 3 : 5;
const HTTP_SECONDS = quick ? 2 : 4;

/** Median µs per call over rounds of back-to-back calls. */
async function micro(fn: () => unknown): Promise<number> {
  for (let i = 0; i < 200; i++) await fn(); // warm up the JIT and any caches
  const perRound: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ROUND_MS) {
      for (let i = 0; i < 50; i++) await fn();
      n += 50;
    }
    perRound.push(((performance.now() - t0) * 1000) / n);
  }
  return median(perRound);
}

// ---- keys, tokens and an assertion to verify -------------------------------------------------

const es256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const payload = Buffer.alloc(37 + 32, 7);
const derSignature = sign('sha256', payload, { key: es256.privateKey, dsaEncoding: 'der' });

const privateJwk = es256.privateKey.export({ format: 'jwk' });
const publicJwk = { ...(await exportJWK(es256.publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const signer = jwtSigner(privateJwk, 'bench', 'ES256');
const now = Math.floor(Date.now() / 1000);
const claims = { sid: 'sess_bench', v: 2, azp: 'http://localhost:3000', sub: 'user_bench', iss: 'http://localhost:4000', iat: now, nbf: now - 5, exp: now + 3600 };
const token = signer.sign(claims);

const jwksServer = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ keys: [publicJwk] }));
});
await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/.well-known/jwks.json`;
const verifyToken = createTokenVerifier({ jwksUrl, issuer: claims.iss });
const localJwks = createLocalJWKSet({ keys: [publicJwk] });
const joseKey = es256.privateKey;

const rpId = 'localhost';
const origin = 'http://localhost:3000';
const authenticator = new SoftwareAuthenticator({ signCount: 'zero' });
const challenge = Buffer.alloc(32, 1).toString('base64url');
const registration = await authenticator.create(
  { rp: { id: rpId, name: 'bench' }, user: { id: 'dXNlcg', name: 'u', displayName: 'u' }, challenge, pubKeyCredParams: [{ type: 'public-key', alg: -7 }] },
  { origin },
);
const assertion = await authenticator.get({ challenge, rpId, allowCredentials: [] }, { origin });
const cosePublicKey = cosePublicKeyOf(registration.response.attestationObject);
const policy: DomainPolicy = { rpId, isAllowedOrigin: () => true, webauthnOriginProblem: () => null, relatedOrigins: [] };
const stored = { credentialId: assertion.rawId, publicKey: cosePublicKey, counter: 0, backupEligible: false, userHandle: 'dXNlcg' };

function cosePublicKeyOf(attestationObjectB64: string): Uint8Array<ArrayBuffer> {
  // authData follows the CBOR map's "authData" key; the COSE key follows the credential id.
  const att = Buffer.from(attestationObjectB64, 'base64url');
  const at = att.indexOf(Buffer.from('authData'));
  let p = at + 8;
  const head = att[p]!;
  p += head === 0x58 ? 2 : head === 0x59 ? 3 : 1;
  const idLen = att.readUInt16BE(p + 37 + 16);
  return new Uint8Array(att.subarray(p + 37 + 16 + 2 + idLen));
}

// ---- SQLite: the statements a sign-in needs, prepared, on a WAL file ---------------------------

const work = mkdtempSync(path.join(tmpdir(), 'latchkey-primitives-'));
const db = new SQLite(path.join(work, 'p.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`create table t (id text primary key, k text unique, n integer, body text);`);
const insertRow = db.prepare('insert into t (id, k, n, body) values (?, ?, ?, ?)');
const selectRow = db.prepare('select * from t where k = ?');
const updateRow = db.prepare('update t set n = n + 1 where id = ?');
const begin = db.prepare('begin');
const commit = db.prepare('commit');
let seq = 0;
for (let i = 0; i < 10_000; i++) insertRow.run(`id${i}`, `k${i}`, 0, 'x'.repeat(200));
const writeTransaction = () => {
  begin.run();
  const i = seq++;
  insertRow.run(`new${i}`, `newk${i}`, 0, 'x'.repeat(200));
  insertRow.run(`new${i}b`, `newk${i}b`, 0, 'x'.repeat(200));
  updateRow.run(`id${i % 10_000}`);
  updateRow.run(`id${(i * 7) % 10_000}`);
  updateRow.run(`id${(i * 13) % 10_000}`);
  commit.run();
};

// ---- HTTP floors: server CPU per request -------------------------------------------------------

async function httpCostUs(script: string, method: 'GET' | 'POST'): Promise<{ cpuUs: number; perSecond: number }> {
  const server = await startServer(path.basename(script), [path.join(ROOT, script)], {}, /running at (http:\/\/\S+)/);
  const http = new Http(server.url, 32);
  try {
    const body = { form: { strategy: 'passkey' }, headers: { origin } };
    const loop = async (until: number) => {
      let n = 0;
      while (performance.now() < until) {
        await http.request(method, '/', method === 'POST' ? body : {});
        n++;
      }
      return n;
    };
    await Promise.all(Array.from({ length: 32 }, () => loop(performance.now() + 500)));
    const c0 = cpuMs(server.pid);
    const t0 = performance.now();
    const counts = await Promise.all(Array.from({ length: 32 }, () => loop(t0 + HTTP_SECONDS * 1000)));
    const elapsed = performance.now() - t0;
    const n = counts.reduce((a, b) => a + b, 0);
    return { cpuUs: ((cpuMs(server.pid) - c0) * 1000) / n, perSecond: (n * 1000) / elapsed };
  } finally {
    await http.close();
    await server.stop();
  }
}

async function main() {
  const rows: (string | number)[][] = [];
  const us: Record<string, number> = {};
  const add = (name: string, value: number, note = '') => {
    us[name] = value;
    rows.push([name, value, 1e6 / value, note]);
  };

  add('ES256 sign (node:crypto)', await micro(() => sign('sha256', payload, { key: es256.privateKey, dsaEncoding: 'ieee-p1363' })));
  add('ES256 verify (node:crypto, key ready)', await micro(() => verify('sha256', payload, es256.publicKey, derSignature)));
  add('ES256 verify incl. public-key import', await micro(() => verify('sha256', payload, createPublicKey({ key: publicJwk, format: 'jwk' }), derSignature)), 'what a per-call import costs');
  add('session JWT sign: Latchkey', await micro(() => signer.sign(claims)));
  add('session JWT sign: jose', await micro(() => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'JWT' }).sign(joseKey)));
  add('session JWT verify: @latchkey/backend', await micro(() => verifyToken(token)));
  add('session JWT verify: jose', await micro(() => jwtVerify(token, localJwks, { issuer: claims.iss })));
  add(
    'assertion verify: Latchkey',
    await micro(() => verifyAuthentication({ response: assertion, credential: stored, expectedChallenge: challenge, policy, requireUserVerification: true, requireUserHandle: false })),
  );
  add(
    'assertion verify: @simplewebauthn/server',
    await micro(() =>
      verifyAuthenticationResponse({
        response: assertion,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpId,
        credential: { id: stored.credentialId, publicKey: stored.publicKey, counter: 0 },
        requireUserVerification: true,
      }),
    ),
  );
  add('SHA-256 of 32 bytes', await micro(() => createHash('sha256').update(challenge).digest()));
  add('SQLite read by unique key (prepared)', await micro(() => selectRow.get(`k${seq++ % 10_000}`)));
  add('SQLite write transaction: 2 inserts + 3 updates + commit', await micro(writeTransaction), 'WAL, synchronous=NORMAL');

  const nodeHttp = await httpCostUs('bench/primitives/hello-node.mjs', 'POST');
  add('HTTP request, node:http hello world (server CPU)', nodeHttp.cpuUs, `${formatNumber(nodeHttp.perSecond)}/s with the client on the same machine`);
  const honoHttp = await httpCostUs('bench/primitives/hello-hono.mjs', 'POST');
  add('HTTP request, Hono hello world (server CPU)', honoHttp.cpuUs, `${formatNumber(honoHttp.perSecond)}/s`);

  // Latchkey's full sign-in, measured the way bench/signin does it.
  const server = await startLatchkey({ LATCHKEY_DATA_DIR: path.join(work, 'latchkey') });
  const driver = await Driver.start('latchkey', server);
  let signInUs = NaN;
  try {
    await driver.register(quick ? 100 : 300, 8);
    const m = await driver.signIn(32, (quick ? 3 : 6) * 1000, 1000);
    signInUs = (m.serverCpuMs * 1000) / Math.max(1, m.result.ok);
  } finally {
    await driver.close();
    await server.stop();
  }

  console.log('## Primitives (median of rounds)\n');
  console.log(table(['operation', 'µs', 'per s', 'note'], rows));

  // What one sign-in (create sign-in → attempt → token) cannot do without, at raw cost.
  const parts: [string, number][] = [
    ['3 HTTP requests (node:http floor)', 3 * us['HTTP request, node:http hello world (server CPU)']!],
    ['1 ES256 assertion verify, key ready', us['ES256 verify (node:crypto, key ready)']!],
    ['1 ES256 token signature', us['ES256 sign (node:crypto)']!],
    ['2 write transactions', 2 * us['SQLite write transaction: 2 inserts + 3 updates + commit']!],
    ['8 indexed reads', 8 * us['SQLite read by unique key (prepared)']!],
    ['4 SHA-256 (client data, token hashes)', 4 * us['SHA-256 of 32 bytes']!],
  ];
  const floor = parts.reduce((a, [, v]) => a + v, 0);
  console.log('\n## A sign-in against the sum of its primitives\n');
  console.log(
    table(
      ['part', 'µs'],
      [...parts, ['sum of primitives', floor], ['Latchkey full sign-in (server CPU, measured)', signInUs], ['sign-in ÷ primitives', ratio(signInUs, floor)]],
    ),
  );
  console.log(`\nThe sum is what ${formatNumber(1e6 / floor)} sign-ins/s per core would cost with nothing but the primitives; Latchkey does ${formatNumber(1e6 / signInUs)} per core-second.`);
}

try {
  await main();
} finally {
  jwksServer.close();
  db.close();
  rmSync(work, { recursive: true, force: true });
}

/**
 * Fuzzing the frontend API: a world (a user with a session and a passkey, a pending sign-in and
 * sign-up, so ids and cookies reach past the first checks), a fast-check arbitrary of hostile
 * requests over every route, and the rules every answer must keep — never a 5xx, never a stack
 * trace or an internal message, always the JSON error shape. Used by test/http/fuzz.test.ts
 * (bounded, fixed seed) and bench/fuzz.ts (long runs). No vitest imports: bench runs it in tsx.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { createApp } from '../../src/app.js';
import { buildDeps } from '../../src/server.js';
import { SoftwareAuthenticator } from './authenticator.js';
import { freshStore, type TestEngine } from './database.js';

const ORIGIN = 'http://localhost:3000';

type App = ReturnType<typeof createApp>;

export interface FuzzWorld {
  app: App;
  logs: string[];
  cookie: string;
  sessionId: string;
  passkeyId: string;
  signInId: string;
  signUpId: string;
  /** The user's id and a secret key, for the backend API routes. */
  userId: string;
  secretKey: string;
  close(): Promise<void>;
}

async function call(app: App, method: string, path: string, body?: Record<string, string>, cookie?: string) {
  const headers: Record<string, string> = { origin: ORIGIN };
  if (cookie) headers.cookie = `__client=${cookie}`;
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await app.request(path, { method, headers, body: body ? new URLSearchParams(body).toString() : undefined });
  const json = (await res.json()) as any;
  if (res.status !== 200) throw new Error(`fuzz world set-up: ${method} ${path} answered ${res.status} ${JSON.stringify(json)}`);
  const set = res.headers.get('set-cookie')?.match(/__client=([^;]*)/);
  return { json, cookie: set?.[1] ?? cookie };
}

/** A fresh server on `engine` with one signed-in user, a pending sign-in and a pending sign-up. */
export async function fuzzWorld(engine: TestEngine): Promise<FuzzWorld> {
  const { store, cleanup } = await freshStore(engine);
  const logs: string[] = [];
  const deps = await buildDeps(
    {
      mode: 'development', host: '127.0.0.1', port: 0, databaseUrl: null, sqlitePath: ':memory:', redisUrl: null,
      publicUrl: 'http://localhost:4000', rateLimit: null, trustProxy: false, staticDir: null, tokenAlg: 'ES256', settingsOverrides: {},
      email: { smtpUrl: null, from: 'Latchkey <no-reply@localhost>', replyTo: null },
    },
    { store, log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`) },
  );
  // The world signs in again in a signed-in browser: multi-session, as Clerk's SDK can use it.
  await deps.settings.update({ multiSession: true });
  const app = createApp(deps);
  const auth = new SoftwareAuthenticator();
  let r = await call(app, 'POST', '/v1/client/sign_ups', { username: 'fuzzuser', email_address: 'fuzz@example.com' });
  let cookie = r.cookie!;
  const su = r.json.response.id;
  r = await call(app, 'POST', `/v1/client/sign_ups/${su}/prepare_verification`, { strategy: 'passkey' }, cookie);
  const credential = await auth.create(JSON.parse(r.json.response.verifications.passkey.nonce), { origin: ORIGIN });
  r = await call(app, 'POST', `/v1/client/sign_ups/${su}/attempt_verification`, { strategy: 'passkey', public_key_credential: JSON.stringify(credential) }, cookie);
  cookie = r.cookie!;
  const sessionId = r.json.response.created_session_id;
  const passkeyId = r.json.client.sessions[0].user.passkeys[0].id;
  r = await call(app, 'POST', '/v1/client/sign_ins', { identifier: 'fuzzuser' }, cookie);
  const signInId = r.json.response.id;
  r = await call(app, 'POST', '/v1/client/sign_ups', { username: 'fuzzpending' }, cookie);
  const signUpId = r.json.response.id;
  const userId = (await call(app, 'GET', `/v1/me?_clerk_session_id=${sessionId}`, undefined, cookie)).json.response.id;
  const { key: secretKey } = await deps.secretKeys.create('fuzz');
  return {
    app, logs, cookie, sessionId, passkeyId, signInId, signUpId, userId, secretKey,
    async close() {
      await cleanup();
    },
  };
}

// --- The arbitrary. ----------------------------------------------------------------------------

const NASTY = [
  '\u0000', 'a\u0000b', '%00', '\ud800', '\udc00x', '\u202e', '\u0085', '\r\n', "' OR 1=1 --", '"; DROP TABLE users; --',
  '../../etc/passwd', '<script>alert(1)</script>', '${7*7}', '__proto__', 'constructor', 'toString', '', ' ', 'null',
  'undefined', 'NaN', '-1', '1e309', '[]', '{}', 'passkey', 'PASSKEY', 'sia_AAAAAAAAAAAAAAAAAAAAAA', 'sess_AAAAAAAAAAAAAAAAAAAAAA',
  'pk_AAAAAAAAAAAAAAAAAAAAAA', 'x'.repeat(5000), '𝕏'.repeat(300),
];

const nasty: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const bytes = fc.uint8Array({ maxLength: 300 });
const cbor = fc
  .record({ fmt: fc.oneof(fc.constantFrom('none', 'packed', 'tpm'), nasty), attStmt: fc.constant(new Map()), authData: bytes })
  .map((o) => new Uint8Array(isoCBOR.encode(new Map<string, unknown>(Object.entries(o)) as never)));
const clientData = fc
  .record({ type: fc.constantFrom('webauthn.get', 'webauthn.create', 'x'), challenge: nasty, origin: fc.constantFrom(ORIGIN, 'https://evil.example'), crossOrigin: fc.boolean() }, { requiredKeys: [] })
  .map((o) => new TextEncoder().encode(JSON.stringify(o)));

/** A value of a credential field: usually base64url of plausible bytes, sometimes anything. */
const field = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(bytes, cbor, clientData).map(b64u) },
  { weight: 1, arbitrary: nasty },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const credential = fc.record(
  {
    id: field,
    rawId: field,
    type: fc.oneof(fc.constant('public-key'), nasty),
    response: fc.record(
      { clientDataJSON: field, attestationObject: field, authenticatorData: field, signature: field, userHandle: fc.oneof(field, fc.constant(null)), transports: fc.oneof(fc.array(nasty, { maxLength: 12 }), field) },
      { requiredKeys: [] },
    ),
    clientExtensionResults: fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 2 })),
    authenticatorAttachment: fc.oneof(fc.constantFrom('platform', 'cross-platform'), nasty),
  },
  { requiredKeys: [] },
);

const PARAMS = ['identifier', 'strategy', 'username', 'email_address', 'public_key_credential', 'name', '_method', '__proto__', 'constructor'];
const value = fc.oneof(
  { weight: 4, arbitrary: nasty },
  { weight: 2, arbitrary: fc.constantFrom('passkey', 'fuzzuser', 'fuzz@example.com', 'new.user', 'new@example.com', 'Laptop') },
  { weight: 2, arbitrary: credential },
  { weight: 1, arbitrary: credential.map((c) => JSON.stringify(c)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const params = fc.dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PARAMS) }, { weight: 1, arbitrary: nasty }), value, { maxKeys: 6 });

type Slot = 'signIn' | 'signUp' | 'session' | 'passkey' | 'user';
/** Every frontend API route; `{signIn}` etc. are filled with a real id, another id, or junk. */
const ROUTES: [string, string, Slot?][] = [
  ['GET', '/environment'],
  ['POST', '/environment?_method=PATCH'],
  ['GET', '/client'],
  ['POST', '/client'],
  ['POST', '/client?_method=DELETE'],
  ['DELETE', '/client'],
  ['POST', '/client/sessions?_method=DELETE'],
  ['POST', '/client/sign_ins'],
  ['GET', '/client/sign_ins/{id}', 'signIn'],
  ['POST', '/client/sign_ins/{id}/prepare_first_factor', 'signIn'],
  ['POST', '/client/sign_ins/{id}/attempt_first_factor', 'signIn'],
  ['POST', '/client/sign_ups'],
  ['POST', '/client/sign_ups/{id}/prepare_verification', 'signUp'],
  ['POST', '/client/sign_ups/{id}/attempt_verification', 'signUp'],
  ['POST', '/client/sessions/{id}/touch', 'session'],
  ['POST', '/client/sessions/{id}/tokens', 'session'],
  ['POST', '/client/sessions/{id}/end', 'session'],
  ['GET', '/me'],
  ['POST', '/me/passkeys'],
  ['POST', '/me/passkeys/{id}/attempt_verification', 'passkey'],
  ['POST', '/me/passkeys/{id}?_method=PATCH', 'passkey'],
  ['POST', '/me/passkeys/{id}?_method=DELETE', 'passkey'],
  ['PATCH', '/me/passkeys/{id}', 'passkey'],
  ['DELETE', '/me/passkeys/{id}', 'passkey'],
  ['GET', '/client/sessions/{id}', 'session'],
  ['POST', '/client/sessions/{id}/remove', 'session'],
  ['POST', '/client/sessions/{id}/tokens/{template}', 'session'],
  ['POST', '/me?_method=PATCH'],
  ['PATCH', '/me'],
  ['GET', '/me/sessions/active'],
  ['POST', '/me/sessions/{id}/revoke', 'session'],
  ['GET', '/nonexistent/{id}', 'signIn'],
];
/**
 * The backend API, called with the world's secret key (or a junk or missing one). Routes that
 * delete the world's user (`DELETE /me`, `DELETE /users/{id}`) are left out: one hit would leave
 * the rest of a run nothing to reach past the first checks.
 */
const BACKEND_ROUTES: [string, string, Slot?][] = [
  ['GET', '/users?limit={template}'],
  ['GET', '/users?query={template}'],
  ['POST', '/users'],
  ['GET', '/users/{id}', 'user'],
  ['PATCH', '/users/{id}', 'user'],
  ['POST', '/users/{id}/ban', 'user'],
  ['POST', '/users/{id}/unban', 'user'],
  ['GET', '/users/{id}/passkeys', 'user'],
  ['DELETE', '/users/{id}/passkeys/{template}', 'user'],
  ['GET', '/sessions?user_id={template}'],
  ['GET', '/sessions/{id}', 'session'],
  ['POST', '/sessions/{id}/revoke', 'session'],
  ['POST', '/sessions/{id}/tokens', 'session'],
  ['GET', '/instance'],
  ['PATCH', '/instance'],
  ['GET', '/audit_events?type={template}&starting_after={template}'],
  ['GET', '/jwks'],
  ['GET', '/webhook_endpoints'],
  ['POST', '/webhook_endpoints'],
  ['GET', '/webhook_endpoints/{template}'],
  ['PATCH', '/webhook_endpoints/{template}'],
  ['DELETE', '/webhook_endpoints/{template}'],
  ['GET', '/webhook_endpoints/{template}/deliveries'],
];
const ALL_ROUTES = [...ROUTES.map((r) => ['fapi', ...r] as const), ...BACKEND_ROUTES.map((r) => ['bapi', ...r] as const)];
const PREFIX: Record<Slot, string> = { signIn: 'sia', signUp: 'sua', session: 'sess', passkey: 'pk', user: 'user' };

/** Percent-encodes anything, lone surrogates included (encodeURIComponent throws on those). */
function pathSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s].map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}

export interface FuzzRequest {
  method: string;
  route: string;
  id: 'real' | 'other' | 'junk' | 'raw';
  junk: string;
  prefix: '/v1' | '/__clerk/v1';
  sessionParam: 'real' | 'none' | 'junk';
  cookie: 'real' | 'none' | 'junk' | 'nul';
  key: 'real' | 'junk' | 'none';
  origin: 'allowed' | 'evil' | 'none' | 'null';
  encoding: 'form' | 'json' | 'json-raw' | 'multipart' | 'none' | 'text';
  params: Record<string, unknown>;
  raw: string;
}

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.oneof({ weight: 9, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') }),
  route: fc.constantFrom(...ALL_ROUTES.map(([api, m, p]) => `${api} ${m} ${p}`)),
  id: fc.constantFrom('real', 'real', 'other', 'junk', 'raw'),
  junk: nasty,
  prefix: fc.constantFrom('/v1', '/v1', '/v1', '/__clerk/v1'),
  sessionParam: fc.constantFrom('real', 'real', 'none', 'junk'),
  cookie: fc.constantFrom('real', 'real', 'real', 'none', 'junk', 'nul'),
  /** The backend API's `Authorization`: the world's secret key, junk, or none. */
  key: fc.constantFrom('real', 'real', 'real', 'junk', 'none'),
  origin: fc.constantFrom('allowed', 'allowed', 'allowed', 'evil', 'none', 'null'),
  encoding: fc.constantFrom('form', 'form', 'json', 'json', 'json-raw', 'multipart', 'none', 'text'),
  params,
  raw: fc.oneof(nasty, fc.jsonValue().map((v) => JSON.stringify(v))),
});

/** Turns a generated request into what `app.request` takes. */
export function buildRequest(world: FuzzWorld, r: FuzzRequest): { path: string; init: RequestInit } {
  const entry = ALL_ROUTES.find(([api, m, p]) => `${api} ${m} ${p}` === r.route)!;
  const [api, routeMethod, template, slot] = entry;
  // `{template}`: a JWT template name, a query value or a second id — junk, or a plausible word.
  let path = template.replaceAll('{template}', r.id === 'real' ? 'fuzz' : pathSegment(r.junk));
  if (slot) {
    const real = { signIn: world.signInId, signUp: world.signUpId, session: world.sessionId, passkey: world.passkeyId, user: world.userId }[slot];
    const id =
      r.id === 'real' ? real
      : r.id === 'other' ? `${PREFIX[slot]}_${randomBytes(16).toString('base64url')}`
      : r.id === 'raw' ? ['%00', '%', '%zz', '%ED%A0%80', '..', '%2e%2e'][r.junk.length % 6]!
      : pathSegment(r.junk);
    path = path.replace('{id}', id);
  }
  const sid = r.sessionParam === 'real' ? world.sessionId : r.sessionParam === 'junk' ? pathSegment(r.junk) : null;
  if (sid !== null && api === 'fapi') path += `${path.includes('?') ? '&' : '?'}_clerk_session_id=${sid}`;
  const headers: Record<string, string> = { 'user-agent': 'fuzz' };
  if (api === 'bapi' && r.key !== 'none') headers.authorization = `Bearer ${r.key === 'real' ? world.secretKey : pathSegment(r.junk)}`;
  if (r.origin !== 'none') headers.origin = r.origin === 'allowed' ? ORIGIN : r.origin === 'evil' ? 'https://evil.example' : 'null';
  if (r.cookie === 'real') headers.cookie = `__client=${world.cookie}`;
  if (r.cookie === 'junk') headers.cookie = `__client=${pathSegment(r.junk)}; __Host-client=${pathSegment(r.junk)}`;
  if (r.cookie === 'nul') headers.cookie = '__client=%00';
  const method = r.method || routeMethod;
  let body: string | FormData | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
    switch (r.encoding) {
      case 'form':
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(Object.entries(r.params).map(([k, v]): [string, string] => [k, asText(v)])).toString();
        break;
      case 'json':
        headers['content-type'] = 'application/json';
        body = JSON.stringify(r.params);
        break;
      case 'json-raw':
        headers['content-type'] = 'application/json; charset=utf-8';
        body = r.raw;
        break;
      case 'multipart': {
        const form = new FormData();
        for (const [k, v] of Object.entries(r.params)) form.append(k, asText(v));
        body = form;
        break;
      }
      case 'text':
        headers['content-type'] = 'text/plain';
        body = r.raw;
        break;
      case 'none':
        break;
    }
  }
  return { path: `${api === 'bapi' ? '/v1' : r.prefix}${path}`, init: { method, headers, body } };
}

// --- What every answer must be. ------------------------------------------------------------------

const STACK = /\n\s+at \S|node_modules\/|\.ts:\d+:\d+|\.js:\d+:\d+/;

/** Sends `r` and returns its status and what is wrong with the answer (nothing, one hopes). */
export async function probe(world: FuzzWorld, r: FuzzRequest): Promise<{ status: number; problems: string[] }> {
  const { path, init } = buildRequest(world, r);
  const res = await world.app.request(path, init);
  const text = await res.text();
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`status ${res.status}`);
  if (STACK.test(text)) problems.push('a stack trace in the answer');
  if (text !== '') {
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push('an answer that is not JSON');
    }
    if (body && res.status >= 400) {
      const e = body.errors?.[0];
      if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || typeof body.clerk_trace_id !== 'string') problems.push('an error without the error shape');
      if (e?.code === 'internal_error') problems.push('internal_error');
    }
  } else if (res.status !== 204 && init.method !== 'HEAD') {
    problems.push(`an empty ${res.status} answer`);
  }
  const logged = world.logs.splice(0).filter((l) => l.startsWith('error'));
  if (logged.length) problems.push(`logged: ${logged.join(' | ').slice(0, 500)}`);
  return { status: res.status, problems: problems.map((p) => `${p} — ${init.method} ${path.slice(0, 200)}`) };
}

/**
 * Differential test: the node:crypto verifier against the jose-based verifier it replaced
 * (`jwtVerify` + `createRemoteJWKSet`, same options, same error mapping), over a corpus of valid,
 * tampered and malformed tokens, under several option sets. For every token both must agree on
 * accepted-or-refused, on the error code, and on the claims returned.
 *
 * The one deliberate difference: the fast verifier takes canonical unpadded base64url only
 * (RFC 7515 §2), while jose decodes segments with `atob`, which also takes `=` padding, embedded
 * whitespace and non-zero trailing bits, so it accepts e.g. `<valid token>==` or a signature with a
 * space inside. For tokens that are not canonical the test asserts only that the fast verifier
 * refuses them (`token_invalid`), and counts how many of them jose would have accepted.
 */
import { generateKeyPairSync } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP,
  B64URL_ALPHABET,
  b64,
  claims,
  ISSUER,
  json64,
  JwksServer,
  makeKey,
  mint,
  NOW,
  NOW_MS,
  prng,
  publicPem,
  signature,
  type SignAlg,
  type TestKey,
} from '../test/fixtures.js';
import { createTokenVerifier, TokenVerificationError, type TokenErrorCode, type VerifierOptions } from './verify-token.js';

type Outcome = { ok: true; claims: unknown } | { ok: false; code: TokenErrorCode };

/** The verifier as it was before the node:crypto rewrite, verbatim but for returning the code. */
function joseVerifier(o: VerifierOptions) {
  const jwks = createRemoteJWKSet(new URL(o.jwksUrl), { cooldownDuration: o.jwksCooldownMs ?? 1000, cacheMaxAge: 10 * 60_000 });
  return async (token: string): Promise<Outcome> => {
    if (!token) return { ok: false, code: 'token_missing' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['ES256', 'RS256'],
        issuer: o.issuer,
        clockTolerance: o.clockSkewSeconds ?? 5,
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { ok: false, code: 'token_expired' };
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf') return { ok: false, code: 'token_not_active_yet' };
      return { ok: false, code: 'token_invalid' };
    }
    if (o.authorizedParties && (typeof payload.azp !== 'string' || !o.authorizedParties.includes(payload.azp))) {
      return { ok: false, code: 'token_invalid_authorized_party' };
    }
    return { ok: true, claims: payload };
  };
}

function fastVerifier(o: VerifierOptions) {
  const verify = createTokenVerifier(o);
  return async (token: string): Promise<Outcome> => {
    try {
      return { ok: true, claims: await verify(token) };
    } catch (err) {
      if (!(err instanceof TokenVerificationError)) throw err;
      return { ok: false, code: err.code };
    }
  };
}

/** Canonical unpadded base64url in three segments: decoding and re-encoding gives the same text. */
const canonical = (token: string) =>
  token.split('.').length === 3 && token.split('.').every((s) => /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s);

interface Case {
  name: string;
  token: string;
}

// P-256 group order, for the high-S twin of an ECDSA signature.
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const hex32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');

function segments(token: string): [string, string, string] {
  const [h, p, s] = token.split('.');
  return [h!, p!, s!];
}

/** Replaces the signature segment's bytes. */
const withSig = (token: string, sig: Uint8Array) => `${segments(token)[0]}.${segments(token)[1]}.${b64(sig)}`;

function buildCorpus(k: { ec1: TestKey; ec2: TestKey; rsa: TestKey; stranger: TestKey; impostor: TestKey; rsaImpostor: TestKey }): Case[] {
  const cases: Case[] = [];
  const add = (name: string, token: string) => cases.push({ name, token });
  const { ec1, ec2, rsa } = k;

  // --- Signed tokens whose claims decide: every key, many claim sets. -------------------------
  const claimSets: [string, Record<string, unknown>][] = [
    ['latchkey claims', claims()],
    ['no azp', claims({ azp: undefined })],
    ['other azp', claims({ azp: 'https://other.example' })],
    ['azp not a string', claims({ azp: ['http://localhost:5173'] })],
    ['no nbf', claims({ nbf: undefined })],
    ['unicode sub', claims({ sub: 'user_ünïcødé ✓ 🙂 \u2028' })],
    ['extra claims', claims({ aud: 'api', jti: 'j1', extra: { nested: [1, 2.5, { a: null }], t: true } })],
    ['float times', claims({ iat: NOW + 0.25, nbf: NOW - 0.5, exp: NOW + 0.75 })],
    ['exp now-4', claims({ exp: NOW - 4 })],
    ['exp now-5', claims({ exp: NOW - 5 })],
    ['exp now-6', claims({ exp: NOW - 6 })],
    ['exp now', claims({ exp: NOW })],
    ['exp now+1', claims({ exp: NOW + 1 })],
    ['exp now-59', claims({ exp: NOW - 59 })],
    ['exp now-61', claims({ exp: NOW - 61 })],
    ['exp negative', claims({ exp: -1 })],
    ['nbf now+1', claims({ nbf: NOW + 1 })],
    ['nbf now+5', claims({ nbf: NOW + 5 })],
    ['nbf now+6', claims({ nbf: NOW + 6 })],
    ['nbf now+61', claims({ nbf: NOW + 61 })],
    ['nbf future and exp past', claims({ nbf: NOW + 100, exp: NOW - 100 })],
    ['iat in the future', claims({ iat: NOW + 10_000 })],
    ['iat zero', claims({ iat: 0 })],
    ['wrong iss', claims({ iss: 'https://auth.other.example' })],
    ['iss missing', claims({ iss: undefined })],
    ['iss null', claims({ iss: null })],
    ['iss array', claims({ iss: [ISSUER] })],
    ['iss with trailing slash', claims({ iss: `${ISSUER}/` })],
    ['sub missing', claims({ sub: undefined })],
    ['sid missing', claims({ sid: undefined })],
    ['exp missing', claims({ exp: undefined })],
    ['iat missing', claims({ iat: undefined })],
    ['sub and sid missing', claims({ sub: undefined, sid: undefined })],
    ['sub null', claims({ sub: null })],
    ['sub number', claims({ sub: 42 })],
    ['sid object', claims({ sid: {} })],
    ['iat string', claims({ iat: String(NOW) })],
    ['exp string', claims({ exp: String(NOW + 60) })],
    ['exp null', claims({ exp: null })],
    ['nbf string', claims({ nbf: String(NOW) })],
    ['nbf null', claims({ nbf: null })],
    ['expired and wrong iss', claims({ exp: NOW - 100, iss: 'https://x.example' })],
    ['expired and missing sub', claims({ exp: NOW - 100, sub: undefined })],
    ['expired and wrong azp', claims({ exp: NOW - 100, azp: 'https://other.example' })],
    ['empty object', {}],
  ];
  for (const key of [ec1, ec2, rsa]) {
    for (const [name, payload] of claimSets) add(`${key.kid}: ${name}`, mint(key, { payload }));
    // JSON.parse reads 1e400 as Infinity: a number, so jose lets it through.
    add(`${key.kid}: exp 1e400`, mint(key, { payload: { segment: b64(JSON.stringify(claims()).replace(/"exp":\d+/, '"exp":1e400')) } }));
    add(`${key.kid}: nbf -1e400`, mint(key, { payload: { segment: b64(JSON.stringify(claims()).replace(/"nbf":\d+/, '"nbf":-1e400')) } }));
  }

  // --- Payload segments that are not a claims object (signed). -------------------------------
  const good = JSON.stringify(claims());
  const payloadTexts: [string, string | Buffer][] = [
    ['array', '[]'],
    ['string', '"sub"'],
    ['number', '1'],
    ['null', 'null'],
    ['true', 'true'],
    ['truncated JSON', good.slice(0, -1)],
    ['not JSON', 'not json at all'],
    ['JSON with whitespace', `  \n${good}\t `],
    ['JSON with trailing garbage', `${good}x`],
    ['duplicate keys (last wins)', `{"sub":"user_first",${good.slice(1)}`.replace(/}$/, ',"sub":"user_last"}')],
    ['__proto__ claim', `{"__proto__":{"admin":true},${good.slice(1)}`],
    ['lone surrogate escape', good.replace('"v":2', '"v":2,"s":"\\ud800"')],
    ['BOM then JSON', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)])],
    ['invalid UTF-8 byte', Buffer.concat([Buffer.from(good.slice(0, -1)), Buffer.from(',"x":"'), Buffer.from([0xff]), Buffer.from('"}')])],
    ['overlong UTF-8', Buffer.concat([Buffer.from(good.slice(0, -1)), Buffer.from(',"x":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
    ['UTF-8 multibyte', good.replace('"v":2', '"v":2,"name":"Zoë 日本 🙂"')],
    ['UTF-16 text', Buffer.from(good, 'utf16le')],
    ['deeply nested', good.replace('"v":2', `"v":2,"deep":${'['.repeat(500)}${']'.repeat(500)}`)],
  ];
  for (const [name, text] of payloadTexts) {
    add(`payload ${name}`, mint(ec1, { payload: { segment: b64(text) } }));
  }
  add('huge payload (200 kB claim)', mint(ec1, { payload: claims({ blob: 'x'.repeat(200_000) }) }));
  add('huge payload RS256', mint(rsa, { payload: claims({ blob: 'y'.repeat(50_000) }) }));

  // --- Headers (signed with a real key, so only the header checks decide). -------------------
  const hdr = (header: Record<string, unknown>, key = ec1, signAs?: SignAlg, secret?: string) =>
    mint(key, { header, signAs, secret });
  add('header without typ', hdr({ alg: 'ES256', kid: ec1.kid }));
  add('header typ at+jwt', hdr({ alg: 'ES256', kid: ec1.kid, typ: 'at+jwt' }));
  add('header with jku/x5u/jwk (ignored)', hdr({ alg: 'ES256', kid: ec1.kid, jku: 'https://evil.example/jwks', x5u: 'https://evil.example', jwk: k.stranger.jwk }));
  add('embedded jwk of a stranger key', hdr({ alg: 'ES256', kid: k.stranger.kid, jwk: k.stranger.jwk }, k.stranger));
  add('alg none, no signature', hdr({ alg: 'none', kid: ec1.kid }, ec1, 'none'));
  add('alg none, ES256 signature', hdr({ alg: 'none', kid: ec1.kid }, ec1, 'ES256'));
  add('alg None', hdr({ alg: 'None', kid: ec1.kid }, ec1, 'none'));
  add('HS256 with RSA public PEM', hdr({ alg: 'HS256', kid: rsa.kid }, rsa, 'HS256', publicPem(rsa) as string));
  add('HS256 with EC JWK text', hdr({ alg: 'HS256', kid: ec1.kid }, ec1, 'HS256', JSON.stringify(ec1.jwk)));
  add('HS256 with a secret', hdr({ alg: 'HS256' }, ec1, 'HS256', 'secret'));
  add('RS256 header, EC kid, ES256 signature', hdr({ alg: 'RS256', kid: ec1.kid }, ec1, 'ES256'));
  add('ES256 header, RSA kid, RS256 signature', hdr({ alg: 'ES256', kid: rsa.kid }, rsa, 'RS256'));
  add('RS256 header, RSA kid, signed by EC key', hdr({ alg: 'RS256', kid: rsa.kid }, ec1, 'ES256'));
  add('ES256 header, EC kid, signed RS256', hdr({ alg: 'ES256', kid: ec1.kid }, rsa, 'RS256'));
  for (const alg of ['ES384', 'ES512', 'es256', 'PS256', 'RS512', 'EdDSA', 'HS512', 'ES256 ', '', 42, null, ['ES256'], { alg: 'ES256' }]) {
    add(`alg ${JSON.stringify(alg)}`, hdr({ alg, kid: ec1.kid }));
  }
  add('alg missing', hdr({ kid: ec1.kid }));
  add('kid missing, ES256 (two EC keys: ambiguous)', hdr({ alg: 'ES256', typ: 'JWT' }));
  add('kid missing, RS256 (one RSA key)', hdr({ alg: 'RS256', typ: 'JWT' }, rsa));
  add('kid null', hdr({ alg: 'ES256', kid: null }));
  add('kid number', hdr({ alg: 'ES256', kid: 42 }));
  add('kid empty', hdr({ alg: 'ES256', kid: '' }));
  add('kid array', hdr({ alg: 'ES256', kid: [ec1.kid] }));
  add('kid unknown', hdr({ alg: 'ES256', kid: 'ins_unknown' }));
  add('kid __proto__', hdr({ alg: 'ES256', kid: '__proto__' }));
  add('kid of the other EC key', hdr({ alg: 'ES256', kid: ec2.kid }, ec1));
  add('stranger key, own kid', mint(k.stranger));
  add('impostor key, kid of ec1', mint(k.impostor));
  add('RSA impostor, kid of rsa', mint(k.rsaImpostor));
  add('crit b64 true', hdr({ alg: 'ES256', kid: ec1.kid, crit: ['b64'], b64: true }));
  add('crit b64 twice', hdr({ alg: 'ES256', kid: ec1.kid, crit: ['b64', 'b64'], b64: true }));
  add('crit b64 false', hdr({ alg: 'ES256', kid: ec1.kid, crit: ['b64'], b64: false }));
  add('crit b64, b64 missing', hdr({ alg: 'ES256', kid: ec1.kid, crit: ['b64'] }));
  add('crit b64, b64 string', hdr({ alg: 'ES256', kid: ec1.kid, crit: ['b64'], b64: 'true' }));
  add('crit exp', hdr({ alg: 'ES256', kid: ec1.kid, crit: ['exp'], exp: 1 }));
  add('crit unknown extension', hdr({ alg: 'ES256', kid: ec1.kid, crit: ['http://example.com/ext'], 'http://example.com/ext': true }));
  add('crit unknown extension and b64', hdr({ alg: 'ES256', kid: ec1.kid, crit: ['http://example.com/ext', 'b64'], 'http://example.com/ext': 1, b64: true }));
  add('crit empty', hdr({ alg: 'ES256', kid: ec1.kid, crit: [] }));
  add('crit string', hdr({ alg: 'ES256', kid: ec1.kid, crit: 'b64', b64: true }));
  add('crit with empty name', hdr({ alg: 'ES256', kid: ec1.kid, crit: [''] }));
  add('crit null', hdr({ alg: 'ES256', kid: ec1.kid, crit: null }));
  add('b64 false without crit (ignored)', hdr({ alg: 'ES256', kid: ec1.kid, b64: false }));
  const headerTexts: [string, string | Buffer][] = [
    ['not JSON', 'ES256'],
    ['array', `[${JSON.stringify({ alg: 'ES256', kid: ec1.kid })}]`],
    ['string', '"ES256"'],
    ['null', 'null'],
    ['BOM then JSON', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ alg: 'ES256', kid: ec1.kid }))])],
    ['invalid UTF-8', Buffer.concat([Buffer.from(`{"alg":"ES256","kid":"${ec1.kid}","x":"`), Buffer.from([0xfe]), Buffer.from('"}')])],
    ['duplicate alg (last wins)', `{"alg":"none","kid":"${ec1.kid}","alg":"ES256"}`],
    ['duplicate alg (last is none)', `{"alg":"ES256","kid":"${ec1.kid}","alg":"none"}`],
    ['__proto__ alg', `{"__proto__":{"alg":"ES256"},"kid":"${ec1.kid}"}`],
  ];
  for (const [name, text] of headerTexts) add(`header ${name}`, mint(ec1, { header: { segment: b64(text) } }));
  // Segments jose decodes leniently, signed over as they stand (only the key holder can make these).
  const h1 = json64({ alg: 'ES256', kid: ec1.kid, typ: 'JWT' });
  for (const filler of ['', 'x', 'xx']) {
    const h = json64({ alg: 'ES256', kid: ec1.kid, typ: 'JWT', filler });
    const p = json64(claims({ filler }));
    if (h.length % 4) add(`padded header, signed over (${filler.length})`, mint(ec1, { header: { segment: h + '='.repeat(4 - (h.length % 4)) } }));
    if (p.length % 4) add(`padded payload, signed over (${filler.length})`, mint(ec1, { payload: { segment: p + '='.repeat(4 - (p.length % 4)) } }));
  }
  add('header with a space inside, signed over', mint(ec1, { header: { segment: `${h1.slice(0, 8)} ${h1.slice(8)}` } }));
  add('header with "+", signed over', mint(ec1, { header: { segment: `${h1.slice(0, 8)}+${h1.slice(9)}` } }));

  // --- Signature and structure tampering on valid tokens. ------------------------------------
  for (const key of [ec1, rsa]) {
    const t = mint(key);
    const [h, p, s] = segments(t);
    const sig = Buffer.from(s, 'base64url');
    const tag = key.kid;
    add(`${tag}: untouched`, t);
    add(`${tag}: signature padded =`, `${t}=`);
    add(`${tag}: signature padded ==`, `${t}==`);
    add(`${tag}: signature with a space`, `${h}.${p}.${s.slice(0, 20)} ${s.slice(20)}`);
    add(`${tag}: signature with a tab and newline`, `${h}.${p}.${s.slice(0, 20)}\t${s.slice(20, 40)}\n${s.slice(40)}`);
    add(`${tag}: trailing newline`, `${t}\n`);
    add(`${tag}: trailing space`, `${t} `);
    add(`${tag}: leading space`, ` ${t}`);
    const last = B64URL_ALPHABET.indexOf(s.at(-1)!);
    add(`${tag}: signature non-canonical last char`, `${h}.${p}.${s.slice(0, -1)}${B64URL_ALPHABET[last ^ 1]}`);
    add(`${tag}: signature last char changed`, `${h}.${p}.${s.slice(0, -1)}${B64URL_ALPHABET[last ^ 0x10]}`);
    add(`${tag}: signature with + and /`, `${h}.${p}.${s.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/'))}`);
    add(`${tag}: signature with + and / (standard base64 of the same bytes)`, `${h}.${p}.${sig.toString('base64')}`);
    add(`${tag}: signature empty`, `${h}.${p}.`);
    add(`${tag}: signature one byte short`, withSig(t, sig.subarray(0, -1)));
    add(`${tag}: signature one byte long`, withSig(t, Buffer.concat([sig, Buffer.from([0])])));
    add(`${tag}: signature leading zero byte`, withSig(t, Buffer.concat([Buffer.from([0]), sig])));
    add(`${tag}: signature zeros`, withSig(t, Buffer.alloc(sig.length)));
    add(`${tag}: signature 0xff`, withSig(t, Buffer.alloc(sig.length, 0xff)));
    add(`${tag}: signature doubled`, withSig(t, Buffer.concat([sig, sig])));
    add(`${tag}: signature of another token`, `${h}.${p}.${segments(mint(key, { payload: claims({ sid: 'sess_other' }) }))[2]}`);
    add(`${tag}: payload of another token`, `${h}.${segments(mint(key, { payload: claims({ sub: 'user_other' }) }))[1]}.${s}`);
    add(`${tag}: forged sub, same signature`, `${h}.${json64(claims({ sub: 'user_someone_else' }))}.${s}`);
    add(`${tag}: forged and expired`, `${h}.${json64(claims({ exp: NOW - 100 }))}.${s}`);
    add(`${tag}: header of the other key`, `${segments(mint(key === ec1 ? ec2 : ec1))[0]}.${p}.${s}`);
    add(`${tag}: header kid swapped`, `${json64({ alg: key.alg, kid: 'ins_swapped', typ: 'JWT' })}.${p}.${s}`);
    add(`${tag}: alg downgraded to none`, `${json64({ alg: 'none', kid: key.kid })}.${p}.`);
    add(`${tag}: extra segment`, `${t}.${s}`);
    add(`${tag}: trailing dot`, `${t}.`);
    add(`${tag}: leading dot`, `.${t}`);
    add(`${tag}: two segments`, `${h}.${p}`);
    add(`${tag}: empty payload`, `${h}..${s}`);
    add(`${tag}: empty header`, `.${p}.${s}`);
    add(`${tag}: five segments (JWE shape)`, `${h}.${p}.${s}.${s}.${s}`);
    add(`${tag}: Bearer prefix kept`, `Bearer ${t}`);
    add(`${tag}: two tokens`, `${t}${t}`);
    add(`${tag}: percent-encoded`, encodeURIComponent(`${t}=`));
  }
  const t1 = mint(ec1);
  const sig1 = Buffer.from(segments(t1)[2], 'base64url');
  add('ES256 DER signature (fresh)', mint(ec1, { signAs: 'ES256-DER' }));
  const r = sig1.subarray(0, 32);
  const sVal = BigInt(`0x${sig1.subarray(32).toString('hex')}`);
  add('ES256 high-S twin', withSig(t1, Buffer.concat([r, hex32(P256_N - sVal)])));
  add('ES256 s + n (out of range)', withSig(t1, Buffer.concat([r, hex32(sVal + P256_N).subarray(-32)])));
  add('ES256 r = 0', withSig(t1, Buffer.concat([Buffer.alloc(32), sig1.subarray(32)])));
  add('ES256 r and s swapped', withSig(t1, Buffer.concat([sig1.subarray(32), r])));
  add('ES256 r = n', withSig(t1, Buffer.concat([hex32(P256_N), sig1.subarray(32)])));
  add('RS256 signature on an ES256 header', withSig(t1, signature('RS256', rsa.privateKey, `${segments(t1)[0]}.${segments(t1)[1]}`)));
  add('huge garbage token', `${'a'.repeat(400_000)}.${'b'.repeat(400_000)}.${'c'.repeat(200_000)}`);
  add('huge unsigned payload', `${segments(t1)[0]}.${json64(claims({ blob: 'z'.repeat(300_000) }))}.${segments(t1)[2]}`);
  add('dots only', '..');
  add('three dots', '...');
  add('one char', 'a');
  add('a JSON object', JSON.stringify(claims()));
  add('the JSON null', 'null');

  // --- Seeded fuzzing: single edits of valid tokens. -----------------------------------------
  const rand = prng(0x1a7c4e7);
  const pick = (chars: string) => chars[Math.floor(rand() * chars.length)]!;
  const bases = [ec1, ec2, rsa].flatMap((key) => [claims(), claims({ sub: 'user_fuzz', azp: undefined }), claims({ exp: NOW + 3600 })].map((c) => mint(key, { payload: c })));
  const extra = '=+/ .\n%';
  for (const [bi, base] of bases.entries()) {
    for (let i = 0; i < 200; i++) {
      const at = Math.floor(rand() * base.length);
      const op = rand();
      let t: string;
      if (op < 0.55) {
        let c = pick(B64URL_ALPHABET);
        while (c === base[at]) c = pick(B64URL_ALPHABET);
        t = base.slice(0, at) + c + base.slice(at + 1);
      } else if (op < 0.7) t = base.slice(0, at) + base.slice(at + 1);
      else if (op < 0.82) t = base.slice(0, at) + pick(B64URL_ALPHABET + extra) + base.slice(at);
      else if (op < 0.9) t = base.slice(0, at) + base.slice(at, at + 1).repeat(1 + Math.floor(rand() * 4)) + base.slice(at + 1);
      else if (op < 0.95) t = base.slice(0, at);
      else {
        const b = Math.floor(rand() * base.length);
        const [x, y] = [Math.min(at, b), Math.max(at, b)];
        t = base.slice(0, x) + base[y] + base.slice(x + 1, y) + base[x] + base.slice(y + 1);
      }
      add(`fuzz base ${bi} #${i}`, t);
    }
  }
  return cases;
}

const server = new JwksServer();
let keys: ReturnType<typeof makeKeys>;
let corpus: Case[];

function makeKeys() {
  return {
    ec1: makeKey('ES256', 'ins_ec_current'),
    ec2: makeKey('ES256', 'ins_ec_previous'),
    rsa: makeKey('RS256', 'ins_rsa'),
    stranger: makeKey('ES256', 'ins_stranger'),
    impostor: makeKey('ES256', 'ins_ec_current'),
    rsaImpostor: makeKey('RS256', 'ins_rsa'),
  };
}

beforeAll(async () => {
  await server.start();
  keys = makeKeys();
  server.serve('/jwks.json', [keys.ec1.jwk, keys.ec2.jwk, keys.rsa.jwk]);
  corpus = buildCorpus(keys);
  // A frozen clock, so second boundaries cannot move between the two verifiers.
  vi.useFakeTimers({ toFake: ['Date'], now: NOW_MS });
});
afterAll(async () => {
  vi.useRealTimers();
  await server.close();
});

interface Report {
  total: number;
  accepted: number;
  codes: Partial<Record<TokenErrorCode, number>>;
  /** Non-canonical tokens jose accepted and the fast verifier refused (the deliberate difference). */
  joseOnly: string[];
  mismatches: { name: string; token: string; fast: Outcome; jose: Outcome }[];
}

async function compare(cases: Case[], options: Omit<VerifierOptions, 'jwksUrl'>, path = '/jwks.json'): Promise<Report> {
  const fast = fastVerifier({ jwksUrl: server.url(path), ...options });
  const jose = joseVerifier({ jwksUrl: server.url(path), ...options });
  const report: Report = { total: cases.length, accepted: 0, codes: {}, joseOnly: [], mismatches: [] };
  for (const c of cases) {
    const [f, j] = [await fast(c.token), await jose(c.token)];
    if (f.ok) report.accepted++;
    else report.codes[f.code] = (report.codes[f.code] ?? 0) + 1;
    // Not canonical: refused, as token_invalid unless both give the same code (e.g. an empty token).
    const agree = canonical(c.token) ? isDeepStrictEqual(f, j) : !f.ok && (f.code === 'token_invalid' || isDeepStrictEqual(f, j));
    if (!agree) report.mismatches.push({ name: c.name, token: c.token.length > 200 ? `${c.token.slice(0, 200)}…` : c.token, fast: f, jose: j });
    else if (!canonical(c.token) && j.ok) report.joseOnly.push(c.name);
  }
  return report;
}

const optionSets: [string, Omit<VerifierOptions, 'jwksUrl'>][] = [
  ['issuer + authorized party', { issuer: ISSUER, authorizedParties: [APP] }],
  ['no options', {}],
  ['issuer, no clock skew', { issuer: ISSUER, clockSkewSeconds: 0 }],
  ['60 s skew, two parties', { clockSkewSeconds: 60, authorizedParties: ['https://other.example', APP] }],
];

describe('fast verifier ≡ jose (differential)', () => {
  it('has a corpus worth the name', () => {
    expect(corpus.length).toBeGreaterThan(2000);
    expect(corpus.filter((c) => !canonical(c.token)).length).toBeGreaterThan(50);
  });

  it.each(optionSets)('agrees with jose on every token: %s', async (_name, options) => {
    const report = await compare(corpus, options);
    expect(report.mismatches).toEqual([]);
    // The corpus must exercise both sides and every code, or agreement would prove little.
    expect(report.accepted).toBeGreaterThan(40);
    expect(report.codes.token_invalid).toBeGreaterThan(1500);
    expect(report.codes.token_expired).toBeGreaterThan(3);
    expect(report.codes.token_not_active_yet).toBeGreaterThan(3);
    if (options.authorizedParties) expect(report.codes.token_invalid_authorized_party).toBeGreaterThan(3);
    // jose takes padded / whitespace / non-canonical signatures; we refuse them (see the header).
    // Only non-canonical tokens can land here (compare() checks every other token for agreement);
    // which cases do varies with the key material generated for the run, so names are not checked.
    expect(report.joseOnly.length).toBeGreaterThan(10);
    console.info(
      `[differential] ${_name}: ${report.total} tokens, ${report.accepted} accepted by both, refused ${JSON.stringify(report.codes)}; ` +
        `${report.joseOnly.length} non-canonical tokens accepted by jose only`,
    );
  });

  it('agrees with jose on unusual key sets', async () => {
    const { ec1, ec2, rsa } = keys;
    const weak = makeKey('RS256', 'weak', 1024);
    // A P-384 key that claims ES256: jose does not pick it (wrong curve), nor may we.
    const p384Pair = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const p384: TestKey = { ...p384Pair, kid: 'p384', alg: 'ES256', jwk: { ...p384Pair.publicKey.export({ format: 'jwk' }), kid: 'p384', alg: 'ES256' } };
    const variants: [string, unknown[], TestKey[]][] = [
      ['duplicate kid', [{ ...ec1.jwk, kid: 'dup' }, { ...ec2.jwk, kid: 'dup' }], [{ ...ec1, kid: 'dup' }, { ...ec2, kid: 'dup' }]],
      ['duplicate kid, other alg', [{ ...ec1.jwk, kid: 'dup' }, { ...rsa.jwk, kid: 'dup' }], [{ ...ec1, kid: 'dup' }, { ...rsa, kid: 'dup' }]],
      ['private key published', [{ ...(ec1.privateKey.export({ format: 'jwk' }) as object), kid: 'priv', alg: 'ES256' }, ec2.jwk], [{ ...ec1, kid: 'priv' }, ec2]],
      ['RSA 1024', [weak.jwk, ec1.jwk], [weak, ec1]],
      [
        'use/key_ops/ext/alg flags',
        [
          { ...ec1.jwk, kid: 'enc', use: 'enc' },
          { ...ec1.jwk, kid: 'ops-sign', key_ops: ['sign'] },
          { ...ec1.jwk, kid: 'ops-dup', key_ops: ['verify', 'verify'] },
          { ...ec1.jwk, kid: 'ops-both', key_ops: ['verify', 'sign'] },
          { ...ec1.jwk, kid: 'ops-verify', key_ops: ['verify'], ext: true },
          { ...ec1.jwk, kid: 'ext-string', ext: 'yes' },
          { ...ec1.jwk, kid: 'alg-es384', alg: 'ES384' },
          { ...ec1.jwk, kid: 'alg-rs256', alg: 'RS256' },
          { ...ec1.jwk, kid: 'no-alg', alg: undefined, use: undefined },
          { ...rsa.jwk, kid: 'rsa-alg-ps256', alg: 'PS256' },
          p384.jwk,
        ],
        ['enc', 'ops-sign', 'ops-dup', 'ops-both', 'ops-verify', 'ext-string', 'alg-es384', 'alg-rs256', 'no-alg'].map((kid) => ({ ...ec1, kid }))
          .concat([{ ...rsa, kid: 'rsa-alg-ps256' }, p384]),
      ],
      ['one EC key without kid', [{ ...ec1.jwk, kid: undefined }], [ec1, { ...ec1, kid: 'anything' }]],
      ['one EC key with a numeric kid', [{ ...ec1.jwk, kid: 7 }], [ec1, { ...ec1, kid: '7' }]],
      ['empty set', [], [ec1]],
    ];
    const mismatches: unknown[] = [];
    let accepted = 0;
    for (const [i, [name, jwks, signers]] of variants.entries()) {
      const path = `/variant-${i}.json`;
      server.serve(path, jwks);
      const cases = signers.flatMap((s) => [
        { name: `${name}: ${s.kid}`, token: mint(s, { header: { alg: s.alg, kid: s.kid } }) },
        { name: `${name}: ${s.kid} without kid`, token: mint(s, { header: { alg: s.alg } }) },
      ]);
      const report = await compare(cases, { issuer: ISSUER }, path);
      accepted += report.accepted;
      mismatches.push(...report.mismatches.map((m) => ({ variant: name, ...m })));
    }
    const broken: [string, { raw: string; status?: number }][] = [
      ['keys not an array', { raw: '{"keys":"nope"}' }],
      ['a key not an object', { raw: `{"keys":[${JSON.stringify(ec1.jwk)},1]}` }],
      ['not JSON', { raw: '<html>' }],
      ['404', { raw: '{"keys":[]}', status: 404 }],
      ['redirect', { raw: '', status: 302 }],
    ];
    for (const [i, [name, body]] of broken.entries()) {
      const path = `/broken-${i}.json`;
      server.serve(path, body);
      const report = await compare([{ name, token: mint(ec1) }], {}, path);
      mismatches.push(...report.mismatches.map((m) => ({ variant: name, ...m })));
    }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(5);
  });
});

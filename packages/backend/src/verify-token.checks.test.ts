/**
 * One test per check of the verifier, and the JWKS fetching rules (lazy first fetch, refetch on an
 * unknown key at most once per cooldown, refetch when older than 10 minutes, failures refuse).
 * Keys and JWKS are local; `verify-token.test.ts` covers a real Latchkey server.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP, b64, claims, ISSUER, json64, JwksServer, makeKey, mint, NOW, NOW_MS, publicPem, type TestKey } from '../test/fixtures.js';
import { createTokenVerifier, TokenVerificationError, type VerifierOptions } from './verify-token.js';

const server = new JwksServer();
const ec1 = makeKey('ES256', 'ins_one');
const ec2 = makeKey('ES256', 'ins_two');
const rsa = makeKey('RS256', 'ins_rsa');
const stranger = makeKey('ES256', 'ins_stranger');

beforeAll(async () => {
  await server.start();
  server.serve('/jwks.json', [ec1.jwk, ec2.jwk, rsa.jwk]);
});
afterAll(() => server.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW_MS });
});
afterEach(() => {
  vi.useRealTimers();
});

const verifier = (o: Partial<VerifierOptions> = {}) =>
  createTokenVerifier({ jwksUrl: server.url('/jwks.json'), issuer: ISSUER, authorizedParties: [APP], ...o });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    if (!(err instanceof TokenVerificationError)) throw err;
    return err.code;
  }
}

const parts = (t: string) => t.split('.') as [string, string, string];

describe('what is accepted', () => {
  it('returns the claims of ES256 and RS256 tokens as signed', async () => {
    const verify = verifier();
    expect(await verify(mint(ec1))).toEqual(claims());
    expect(await verify(mint(ec2))).toEqual(claims());
    expect(await verify(mint(rsa, { payload: claims({ extra: [1, 'two'] }) }))).toEqual(claims({ extra: [1, 'two'] }));
  });

  it('takes a token without kid when exactly one key fits its alg (as jose does)', async () => {
    expect(await codeOf(verifier()(mint(rsa, { header: { alg: 'RS256' } })))).toBe('accepted');
    // Two EC keys: ambiguous, refused.
    expect(await codeOf(verifier()(mint(ec1, { header: { alg: 'ES256' } })))).toBe('token_invalid');
  });

  it('accepts without issuer or authorized parties configured', async () => {
    const verify = createTokenVerifier({ jwksUrl: server.url('/jwks.json') });
    expect(await codeOf(verify(mint(ec1, { payload: claims({ iss: 'https://elsewhere.example', azp: undefined }) })))).toBe('accepted');
  });
});

describe('each check refuses with its code', () => {
  it('token_missing: no token', async () => {
    for (const t of [undefined, null, '']) expect(await codeOf(verifier()(t))).toBe('token_missing');
  });

  it('token_invalid: not a compact JWS of canonical base64url', async () => {
    const t = mint(ec1);
    const [h, p, s] = parts(t);
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(s.at(-1)!);
    for (const bad of [
      42 as never,
      `${h}.${p}`,
      `${t}.${s}`,
      `${t}.`,
      `${h}..${s}`,
      `${t}==`, // padding
      `${h}.${p}.${s.slice(0, 9)} ${s.slice(9)}`, // whitespace
      `${t}\n`,
      `${h}.${p}.${Buffer.from(s, 'base64url').toString('base64')}`, // + and / alphabet
      `${h}.${p}.${s.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]}`, // non-zero trailing bits
      `${h}.${p}.${s}A`, // a length that is not whole bytes
    ]) {
      const err = await verifier()(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenVerificationError);
      expect((err as TokenVerificationError).code).toBe('token_invalid');
      expect((err as TokenVerificationError).message).toMatch(/^The session token is invalid: /);
    }
  });

  it('token_invalid: header not a JSON object', async () => {
    for (const segment of [b64('not json'), b64('[]'), b64('null'), b64(Buffer.from([0x7b, 0xff, 0x7d]))]) {
      expect(await codeOf(verifier()(mint(ec1, { header: { segment } })))).toBe('token_invalid');
    }
  });

  it('token_invalid: algorithm not allowed (none, HS256 confusion, ES384, missing)', async () => {
    const v = verifier();
    expect(await codeOf(v(mint(ec1, { header: { alg: 'none', kid: ec1.kid }, signAs: 'none' })))).toBe('token_invalid');
    expect(await codeOf(v(`${json64({ alg: 'none' })}.${json64(claims())}.`))).toBe('token_invalid');
    expect(await codeOf(v(mint(rsa, { header: { alg: 'HS256', kid: rsa.kid }, signAs: 'HS256', secret: publicPem(rsa) as string })))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { header: { alg: 'ES384', kid: ec1.kid } })))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { header: { kid: ec1.kid } })))).toBe('token_invalid');
  });

  it('token_invalid: critical header extensions other than b64, and b64: false', async () => {
    const v = verifier();
    expect(await codeOf(v(mint(ec1, { header: { alg: 'ES256', kid: ec1.kid, crit: ['exp'], exp: 1 } })))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { header: { alg: 'ES256', kid: ec1.kid, crit: [] } })))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { header: { alg: 'ES256', kid: ec1.kid, crit: ['b64'], b64: false } })))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { header: { alg: 'ES256', kid: ec1.kid, crit: ['b64'], b64: true } })))).toBe('accepted');
  });

  it('token_invalid: no key fits (unknown kid, kid of another algorithm, stranger key)', async () => {
    const v = verifier();
    expect(await codeOf(v(mint(ec1, { header: { alg: 'ES256', kid: 'ins_nope' } })))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { header: { alg: 'RS256', kid: ec1.kid }, signAs: 'ES256' })))).toBe('token_invalid');
    expect(await codeOf(v(mint(rsa, { header: { alg: 'ES256', kid: rsa.kid }, signAs: 'RS256' })))).toBe('token_invalid');
    expect(await codeOf(v(mint(stranger)))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { header: { alg: 'ES256', kid: 42 } })))).toBe('token_invalid');
  });

  it('token_invalid: bad signature (other key, DER, wrong length, tampered payload)', async () => {
    const v = verifier();
    const t = mint(ec1);
    const [h, p, s] = parts(t);
    expect(await codeOf(v(mint(ec1, { header: { alg: 'ES256', kid: ec2.kid } })))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { signAs: 'ES256-DER' })))).toBe('token_invalid');
    expect(await codeOf(v(`${h}.${p}.${b64(Buffer.from(s, 'base64url').subarray(0, 63))}`))).toBe('token_invalid');
    expect(await codeOf(v(`${h}.${json64(claims({ sub: 'user_someone_else' }))}.${s}`))).toBe('token_invalid');
    expect(await codeOf(v(`${h}.${p}.${b64(Buffer.alloc(64))}`))).toBe('token_invalid');
  });

  it('token_invalid: payload not a JSON object', async () => {
    for (const text of ['[]', '"x"', 'nope', `${JSON.stringify(claims())}x`]) {
      expect(await codeOf(verifier()(mint(ec1, { payload: { segment: b64(text) } })))).toBe('token_invalid');
    }
  });

  it('token_invalid: required claim missing or mistyped', async () => {
    const v = verifier();
    for (const claim of ['sub', 'sid', 'exp', 'iat', 'iss']) {
      expect(await codeOf(v(mint(ec1, { payload: claims({ [claim]: undefined }) }))), claim).toBe('token_invalid');
    }
    expect(await codeOf(v(mint(ec1, { payload: claims({ iat: 'yesterday' }) })))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { payload: claims({ exp: 'tomorrow' }) })))).toBe('token_invalid');
    // Without an issuer configured, iss is not required.
    expect(await codeOf(verifier({ issuer: undefined })(mint(ec1, { payload: claims({ iss: undefined }) })))).toBe('accepted');
  });

  it('token_invalid: wrong issuer', async () => {
    expect(await codeOf(verifier()(mint(ec1, { payload: claims({ iss: 'https://auth.other.example' }) })))).toBe('token_invalid');
    expect(await codeOf(verifier({ issuer: 'https://auth.other.example' })(mint(ec1)))).toBe('token_invalid');
  });

  it('token_expired: at exp minus the skew, not before', async () => {
    const v = verifier();
    expect(await codeOf(v(mint(ec1, { payload: claims({ exp: NOW - 4 }) })))).toBe('accepted');
    expect(await codeOf(v(mint(ec1, { payload: claims({ exp: NOW - 5 }) })))).toBe('token_expired');
    expect(await codeOf(verifier({ clockSkewSeconds: 0 })(mint(ec1, { payload: claims({ exp: NOW }) })))).toBe('token_expired');
    expect(await codeOf(verifier({ clockSkewSeconds: 60 })(mint(ec1, { payload: claims({ exp: NOW - 59 }) })))).toBe('accepted');
  });

  it('token_not_active_yet: nbf beyond the skew', async () => {
    const v = verifier();
    expect(await codeOf(v(mint(ec1, { payload: claims({ nbf: NOW + 5 }) })))).toBe('accepted');
    expect(await codeOf(v(mint(ec1, { payload: claims({ nbf: NOW + 6 }) })))).toBe('token_not_active_yet');
    expect(await codeOf(verifier({ clockSkewSeconds: 0 })(mint(ec1, { payload: claims({ nbf: NOW + 1 }) })))).toBe('token_not_active_yet');
    // jose's quirk, kept: a non-numeric nbf is reported against nbf.
    expect(await codeOf(v(mint(ec1, { payload: claims({ nbf: 'soon' }) })))).toBe('token_not_active_yet');
  });

  it('token_invalid_authorized_party: azp not listed, or absent', async () => {
    const v = verifier({ authorizedParties: ['https://app.example.com'] });
    expect(await codeOf(v(mint(ec1)))).toBe('token_invalid_authorized_party');
    expect(await codeOf(verifier()(mint(ec1, { payload: claims({ azp: undefined }) })))).toBe('token_invalid_authorized_party');
    expect(await codeOf(verifier({ authorizedParties: ['https://app.example.com', APP] })(mint(ec1)))).toBe('accepted');
  });

  it('checks in jose’s order: signature before claims, nbf before exp, claims before azp', async () => {
    const v = verifier();
    const [h, , s] = parts(mint(ec1));
    expect(await codeOf(v(`${h}.${json64(claims({ exp: NOW - 100 }))}.${s}`))).toBe('token_invalid');
    expect(await codeOf(v(mint(ec1, { payload: claims({ nbf: NOW + 100, exp: NOW - 100 }) })))).toBe('token_not_active_yet');
    expect(await codeOf(v(mint(ec1, { payload: claims({ exp: NOW - 100, azp: 'https://x.example' }) })))).toBe('token_expired');
    expect(await codeOf(v(mint(ec1, { payload: claims({ iss: 'https://x.example', exp: NOW - 100 }) })))).toBe('token_invalid');
  });

  it('keeps verifying correctly past the header cache limit', async () => {
    const v = verifier();
    for (let i = 0; i < 150; i++) {
      expect(await codeOf(v(mint(i % 2 ? ec1 : ec2, { header: { alg: 'ES256', kid: i % 2 ? ec1.kid : ec2.kid, n: i } })))).toBe('accepted');
      expect(await codeOf(v(mint(ec1, { header: { alg: 'ES256', kid: ec2.kid, n: i } })))).toBe('token_invalid');
    }
  });
});

describe('fetching the JWKS', () => {
  const path = '/rotating.json';
  const url = () => server.url(path);
  const publish = (...ks: TestKey[]) => server.serve(path, ks.map((k) => k.jwk));
  const fetches = () => server.count(path);
  const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
  const at = () => Math.floor(Date.now() / 1000);
  let before = 0;
  beforeEach(() => {
    before = fetches();
  });

  it('fetches lazily, once, for any number of tokens', async () => {
    publish(ec1, ec2);
    const verify = createTokenVerifier({ jwksUrl: url() });
    expect(fetches() - before).toBe(0);
    await Promise.all(Array.from({ length: 30 }, () => verify(mint(ec1))));
    for (let i = 0; i < 30; i++) await verify(mint(i % 2 ? ec1 : ec2));
    expect(fetches() - before).toBe(1);
  });

  it('refetches for an unknown kid at most once per cooldown, and picks up a rotated key', async () => {
    publish(ec1);
    const verify = createTokenVerifier({ jwksUrl: url(), jwksCooldownMs: 1000 });
    await verify(mint(ec1));
    publish(ec1, ec2); // rotation on the server
    // Within the cooldown of the first fetch: refused without asking.
    expect(await codeOf(verify(mint(ec2)))).toBe('token_invalid');
    expect(fetches() - before).toBe(1);
    advance(1000);
    expect((await verify(mint(ec2, { payload: claims({}, at()) }))).sid).toBe(claims().sid);
    expect(fetches() - before).toBe(2);
    // Made-up kids: one refetch per cooldown at most.
    advance(1000);
    for (let i = 0; i < 10; i++) expect(await codeOf(verify(mint(stranger, { payload: claims({}, at()) })))).toBe('token_invalid');
    expect(fetches() - before).toBe(3);
    advance(999);
    expect(await codeOf(verify(mint(stranger, { payload: claims({}, at()) })))).toBe('token_invalid');
    expect(fetches() - before).toBe(3);
    advance(1);
    expect(await codeOf(verify(mint(stranger, { payload: claims({}, at()) })))).toBe('token_invalid');
    expect(fetches() - before).toBe(4);
  });

  it('shares one refetch among concurrent tokens naming the new key', async () => {
    publish(ec1);
    const verify = createTokenVerifier({ jwksUrl: url() });
    await verify(mint(ec1));
    publish(ec1, ec2);
    advance(1000);
    const results = await Promise.all(Array.from({ length: 20 }, () => codeOf(verify(mint(ec2, { payload: claims({}, at()) })))));
    expect(results.every((r) => r === 'accepted')).toBe(true);
    expect(fetches() - before).toBe(2);
  });

  it('refetches a key set older than 10 minutes, and then refuses a withdrawn key', async () => {
    publish(ec1, ec2);
    const verify = createTokenVerifier({ jwksUrl: url() });
    await verify(mint(ec2));
    publish(ec1);
    advance(10 * 60_000 - 1);
    expect(await codeOf(verify(mint(ec2, { payload: claims({}, at()) })))).toBe('accepted');
    expect(fetches() - before).toBe(1);
    advance(1);
    expect(await codeOf(verify(mint(ec2, { payload: claims({}, at()) })))).toBe('token_invalid');
    expect(await codeOf(verify(mint(ec1, { payload: claims({}, at()) })))).toBe('accepted');
    expect(fetches() - before).toBe(2);
  });

  it('refuses while the JWKS cannot be had, and recovers', async () => {
    server.serve(path, { raw: 'oops', status: 503 });
    const verify = createTokenVerifier({ jwksUrl: url() });
    const err = await verify(mint(ec1)).catch((e: unknown) => e);
    expect((err as TokenVerificationError).code).toBe('token_invalid');
    expect((err as TokenVerificationError).message).toMatch(/JWKS could not be fetched.*503/);
    server.serve(path, { raw: '{"keys": 5}' });
    expect(await codeOf(verify(mint(ec1)))).toBe('token_invalid');
    server.serve(path, { raw: '<html>' });
    expect(await codeOf(verify(mint(ec1)))).toBe('token_invalid');
    publish(ec1);
    expect(await codeOf(verify(mint(ec1)))).toBe('accepted');
    expect(fetches() - before).toBe(4);
  });

  it('fails closed when a stale key set cannot be refreshed; a failed refetch also starts the cooldown', async () => {
    publish(ec1);
    const verify = createTokenVerifier({ jwksUrl: url() });
    await verify(mint(ec1));
    server.serve(path, { raw: '', status: 500 });
    expect(await codeOf(verify(mint(stranger)))).toBe('token_invalid'); // within the cooldown: no fetch
    advance(1000);
    expect(await codeOf(verify(mint(stranger, { payload: claims({}, at()) })))).toBe('token_invalid'); // fetch fails
    expect(await codeOf(verify(mint(stranger, { payload: claims({}, at()) })))).toBe('token_invalid'); // cooling down
    expect(await codeOf(verify(mint(ec1, { payload: claims({}, at()) })))).toBe('accepted'); // cached keys still serve
    expect(fetches() - before).toBe(2);
    advance(10 * 60_000);
    expect(await codeOf(verify(mint(ec1, { payload: claims({}, at()) })))).toBe('token_invalid');
  });

  it('gives up on an unanswering JWKS endpoint after jwksTimeoutMs', async () => {
    vi.useRealTimers();
    const { createServer } = await import('node:http');
    const hang = createServer(() => {}); // takes the request and never answers
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    try {
      // A short timeout: this waits for the abort itself, however fast the machine is. Without
      // a timeout the fetch would hang and the test would fail on its own time limit.
      const verify = createTokenVerifier({ jwksUrl: `http://127.0.0.1:${(hang.address() as { port: number }).port}/jwks.json`, jwksTimeoutMs: 50 });
      const err = await verify(mint(ec1, { payload: claims({}, Math.floor(Date.now() / 1000)) })).catch((e: unknown) => e);
      expect((err as TokenVerificationError).code).toBe('token_invalid');
    } finally {
      hang.closeAllConnections();
      hang.close();
    }
  });
});

describe('options', () => {
  it('refuses invalid options when the verifier is created', () => {
    const jwksUrl = server.url('/jwks.json');
    expect(() => createTokenVerifier({ jwksUrl: 'not a url' })).toThrow(TypeError);
    expect(() => createTokenVerifier({ jwksUrl, clockSkewSeconds: -1 })).toThrow(TypeError);
    expect(() => createTokenVerifier({ jwksUrl, clockSkewSeconds: Number.NaN })).toThrow(TypeError);
    expect(() => createTokenVerifier({ jwksUrl, jwksCooldownMs: -1 })).toThrow(TypeError);
    expect(() => createTokenVerifier({ jwksUrl, jwksCooldownMs: Number.NaN })).toThrow(TypeError);
    expect(() => createTokenVerifier({ jwksUrl, jwksTimeoutMs: 0 })).toThrow(TypeError);
    expect(() => createTokenVerifier({ jwksUrl, jwksTimeoutMs: Number.NaN })).toThrow(TypeError);
    expect(() => createTokenVerifier({ jwksUrl, clockSkewSeconds: 0, jwksCooldownMs: 0 })).not.toThrow();
  });
});

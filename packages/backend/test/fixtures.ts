/**
 * Keys, a JWKS server and a token minter for the verifier's tests. Tokens are assembled by hand
 * (node:crypto signatures over whatever header and payload text a case needs), so a test can sign
 * malformed headers and claims with a real key and see which check refuses them.
 */
import { createHmac, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ISSUER = 'http://localhost:4000';
export const APP = 'http://localhost:5173';
/** A fixed clock for the tests that freeze `Date`: whole second NOW, plus half a second. */
export const NOW = 1_750_000_000;
export const NOW_MS = NOW * 1000 + 500;

export interface TestKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as Latchkey publishes it (`kid`, `alg`, `use: 'sig'`). */
  jwk: Record<string, unknown>;
}

export function makeKey(alg: 'ES256' | 'RS256', kid: string, modulusLength = 2048): TestKey {
  const { privateKey, publicKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength });
  return { kid, alg, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

export const b64 = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');
export const json64 = (value: unknown) => b64(JSON.stringify(value));

export type SignAlg = 'ES256' | 'ES256-DER' | 'RS256' | 'HS256' | 'none';

export function signature(alg: SignAlg, key: KeyObject | Uint8Array | string, input: string): Buffer {
  const data = Buffer.from(input, 'latin1');
  switch (alg) {
    case 'ES256':
      return sign('sha256', data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
    case 'ES256-DER':
      return sign('sha256', data, { key: key as KeyObject, dsaEncoding: 'der' });
    case 'RS256':
      return sign('sha256', data, key as KeyObject);
    case 'HS256':
      return createHmac('sha256', key as Uint8Array | string).update(data).digest();
    case 'none':
      return Buffer.alloc(0);
  }
}

export interface MintOptions {
  /** Header object, or the header segment verbatim. Default `{ alg, kid, typ: 'JWT' }` of the key. */
  header?: Record<string, unknown> | { segment: string };
  /** Payload object, or the payload segment verbatim. Default `claims()`. */
  payload?: Record<string, unknown> | { segment: string };
  /** How to sign; default the key's algorithm. */
  signAs?: SignAlg;
  /** Secret for HS256. */
  secret?: Uint8Array | string;
}

/** A compact JWS signed with `key` over exactly the segments given. */
export function mint(key: TestKey, o: MintOptions = {}): string {
  const header = o.header ?? { alg: key.alg, kid: key.kid, typ: 'JWT' };
  const payload = o.payload ?? claims();
  const h = 'segment' in header && typeof header.segment === 'string' ? header.segment : json64(header);
  const p = 'segment' in payload && typeof payload.segment === 'string' ? payload.segment : json64(payload);
  const signAs = o.signAs ?? key.alg;
  const sig = signature(signAs, signAs === 'HS256' ? o.secret! : key.privateKey, `${h}.${p}`);
  return `${h}.${p}.${b64(sig)}`;
}

/** Claims as Latchkey mints them (`SessionTokens.mint`), at NOW; `overrides` values of undefined delete the claim. */
export function claims(overrides: Record<string, unknown> = {}, now = NOW): Record<string, unknown> {
  const c: Record<string, unknown> = {
    sid: 'sess_2y8GdWbUcXa1ZLm3kF0qTn',
    v: 2,
    azp: APP,
    sub: 'user_2y8GdX4aP9rQe1oVwK7sZd',
    iss: ISSUER,
    iat: now,
    nbf: now - 5,
    exp: now + 60,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete c[k];
    else c[k] = v;
  }
  return c;
}

/** PEM of a public key: the classic HS256 confusion secret. */
export const publicPem = (key: TestKey) => createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' });

/** Serves JWKS documents from 127.0.0.1 and counts the requests per path. */
export class JwksServer {
  readonly routes = new Map<string, { status: number; body: string }>();
  readonly hits = new Map<string, number>();
  private server: Server | null = null;
  private base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const route = this.routes.get(path) ?? { status: 404, body: 'not found' };
      res.writeHead(route.status, { 'content-type': 'application/json' });
      res.end(route.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Publishes `keys` (JWKs) at `path`; returns the URL. */
  serve(path: string, keys: unknown[] | { raw: string; status?: number }): string {
    this.routes.set(path, Array.isArray(keys) ? { status: 200, body: JSON.stringify({ keys }) } : { status: keys.status ?? 200, body: keys.raw });
    return this.url(path);
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  count(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A small seeded PRNG (mulberry32), so a failing fuzz case can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

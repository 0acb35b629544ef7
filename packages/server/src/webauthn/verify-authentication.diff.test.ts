/**
 * Differential test: our verifyAuthentication (node:crypto, cached keys) against
 * @simplewebauthn/server's verifyAuthenticationResponse, which it replaced on the sign-in path.
 *
 * A corpus of assertions — valid ones for every algorithm the library verifies, with UV on and
 * off, counters, user handles and backup flags; tampered ones from every knob of the software
 * authenticator; byte flips, truncations and extensions of authenticatorData, clientDataJSON and
 * the signature; odd signature encodings; stored keys that differ from the signing key — goes to
 * both, configured alike: same challenge, origins (the library gets our allowlist as a list), RP
 * ID and UV requirement, and credential counter 0 (which switches the library's counter rule off).
 *
 * Our verifier is deliberately stricter than the library in the relying-party rules the library
 * leaves to us. Those are written out again in `rpRules` below, independently of the code under
 * test, and each case must come out as `library accepts ∧ rpRules accept`:
 *   - rawId must be the stored credential's id (the library never looks);
 *   - userHandle: required in the discoverable flow, and when given, the owner's;
 *   - clientDataJSON is decoded as UTF-8 without stripping a BOM (the library's TextDecoder
 *     strips one), crossOrigin must not be true and topOrigin must be absent (the library allows
 *     both without a top origin, and a falsy topOrigin);
 *   - BE must equal its value at registration;
 *   - the sign counter must increase unless both counters are zero.
 * Everything else must agree exactly, and where a case was built to be accepted or refused, the
 * oracle must say so too (so a broken corpus cannot pass quietly).
 *
 * Mutations are drawn from a seeded PRNG: LATCHKEY_DIFF_SEED sets the seed, LATCHKEY_DIFF_RANDOM
 * the number of random mutations (700; 30,000 is a good soak). Keys and ECDSA nonces are fresh
 * each run, so a disagreement is reported with the whole case (response, stored key, options).
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type AuthenticationResponseJSON, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { describe, expect, it } from 'vitest';
import { type AssertionTamper, type Alg, type AuthenticatorOptions, SoftwareAuthenticator } from '../../test/support/authenticator.js';
import { coseEncodePublicKey } from '../../test/support/cose.js';
import type { DomainPolicy } from '../domains/index.js';
import { CeremonyRejected } from './client-data.js';
import { parseAuthenticationCredential } from './credential-json.js';
import { AssertionKeyCache, assertionKeys, parseCosePublicKey } from './public-keys.js';
import { strictDerToP1363 } from './strict-der.js';
import { type StoredCredential, verifyAuthentication } from './verify-authentication.js';

const RP_ID = 'example.com';
const ORIGINS = ['https://example.com', 'https://app.example.com'];
const policy: DomainPolicy = {
  rpId: RP_ID,
  relatedOrigins: [],
  isAllowedOrigin: (o) => ORIGINS.includes(o),
  webauthnOriginProblem: (o) => (ORIGINS.includes(o) ? null : `${o} is not allowed`),
};

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32).

const SEED = Number(process.env.LATCHKEY_DIFF_SEED ?? 0x1a7c4e);
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

const CHALLENGE = b64(randomBytes(32));
const OTHER_CHALLENGE = b64(randomBytes(32));

// ---------------------------------------------------------------------------------------------
// Signers: every algorithm the library verifies on this runtime.

interface Signer {
  name: string;
  cose: Buffer;
  sign(data: Buffer): Buffer;
  /** ECDSA only: the size of r and s, and the group order. */
  ec?: { size: number; order: bigint };
}

const ORDERS = {
  'P-256': BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551'),
  'P-384': BigInt('0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973'),
  'P-521': BigInt(
    '0x01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409',
  ),
};
const CURVES = {
  'P-256': { crv: 1, size: 32 },
  'P-384': { crv: 2, size: 48 },
  'P-521': { crv: 3, size: 66 },
} as const;
type Curve = keyof typeof CURVES;

const cbor = (m: Map<number, unknown>) => Buffer.from(isoCBOR.encode(m as Map<number, number>));
const jwkBytes = (key: KeyObject, field: 'x' | 'y' | 'n' | 'e') => Buffer.from(key.export({ format: 'jwk' })[field] as string, 'base64url');

function ecCose(publicKey: KeyObject, curve: Curve, alg: number): Map<number, unknown> {
  return new Map<number, unknown>([
    [1, 2],
    [3, alg],
    [-1, CURVES[curve].crv],
    [-2, jwkBytes(publicKey, 'x')],
    [-3, jwkBytes(publicKey, 'y')],
  ]);
}

function ecSigner(name: string, curve: Curve, alg: number, hash: string): Signer & { privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return {
    name,
    privateKey,
    publicKey,
    cose: cbor(ecCose(publicKey, curve, alg)),
    sign: (data) => sign(hash, data, { key: privateKey, dsaEncoding: 'der' }),
    ec: { size: CURVES[curve].size, order: ORDERS[curve] },
  };
}

function edSigner(): Signer & { privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    name: 'EdDSA',
    privateKey,
    publicKey,
    cose: cbor(new Map<number, unknown>([[1, 1], [3, -8], [-1, 6], [-2, jwkBytes(publicKey, 'x')]])),
    sign: (data) => sign(null, data, privateKey),
  };
}

const rsaKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsaKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaCose = (publicKey: KeyObject, alg: number) =>
  cbor(new Map<number, unknown>([[1, 3], [3, alg], [-1, jwkBytes(publicKey, 'n')], [-2, jwkBytes(publicKey, 'e')]]));

function rsaSigner(name: string, alg: number, hash: string, pssSalt?: number, keys = rsaKeys): Signer {
  return {
    name,
    cose: rsaCose(keys.publicKey, alg),
    sign: (data) =>
      pssSalt === undefined
        ? sign(hash, data, keys.privateKey)
        : sign(hash, data, { key: keys.privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: pssSalt }),
  };
}

const signers: Signer[] = [
  ecSigner('ES256', 'P-256', -7, 'sha256'),
  ecSigner('ES384', 'P-384', -35, 'sha384'),
  ecSigner('ES512', 'P-521', -36, 'sha512'),
  edSigner(),
  rsaSigner('RS256', -257, 'sha256'),
  rsaSigner('RS384', -258, 'sha384'),
  rsaSigner('RS512', -259, 'sha512'),
  rsaSigner('RS1', -65535, 'sha1'),
  rsaSigner('PS256', -37, 'sha256', 32),
  rsaSigner('PS384', -38, 'sha384', 48),
  rsaSigner('PS512', -39, 'sha512', 64),
];
const signer = (name: string) => signers.find((s) => s.name === name)!;

// ---------------------------------------------------------------------------------------------
// Assertions, built byte by byte so any part can be changed before or after signing.

interface Parts {
  id: string;
  rawId: string;
  authData: Buffer;
  clientData: Buffer;
  signature: Buffer;
  userHandle: string | null;
}

interface Case {
  name: string;
  response: AuthenticationResponseJSON;
  credential: StoredCredential;
  expectedChallenge: string;
  requireUserVerification: boolean;
  requireUserHandle: boolean;
  /** Where the answer is known when the case is built: checks the test itself. */
  expect?: 'accept' | 'refuse';
}

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 };

function authData(o: { rpId?: string; flags?: number; counter?: number; rest?: Buffer } = {}): Buffer {
  const out = Buffer.alloc(37);
  sha256(Buffer.from(o.rpId ?? RP_ID)).copy(out, 0);
  out[32] = o.flags ?? FLAG.UP | FLAG.UV;
  out.writeUInt32BE(o.counter ?? 0, 33);
  return o.rest ? Buffer.concat([out, o.rest]) : out;
}

function clientData(o: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: CHALLENGE, origin: ORIGINS[0], crossOrigin: false, ...o }));
}

interface Cred {
  id: string;
  userHandle: string;
  signer: Signer;
}
const newCred = (s: Signer): Cred => ({ id: b64(randomBytes(16)), userHandle: b64(randomBytes(16)), signer: s });

/** Signs authData ‖ SHA-256(clientData) with the credential's key. */
function signed(cred: Cred, p: Partial<Parts> = {}): Parts {
  const ad = p.authData ?? authData();
  const cd = p.clientData ?? clientData();
  return {
    id: p.id ?? cred.id,
    rawId: p.rawId ?? p.id ?? cred.id,
    authData: ad,
    clientData: cd,
    signature: p.signature ?? cred.signer.sign(Buffer.concat([ad, sha256(cd)])),
    userHandle: p.userHandle === undefined ? cred.userHandle : p.userHandle,
  };
}

function toResponse(p: Parts): AuthenticationResponseJSON {
  return {
    id: p.id,
    rawId: p.rawId,
    type: 'public-key',
    response: {
      clientDataJSON: b64(p.clientData),
      authenticatorData: b64(p.authData),
      signature: b64(p.signature),
      ...(p.userHandle === null ? {} : { userHandle: p.userHandle }),
    },
    clientExtensionResults: {},
  };
}

function stored(cred: Cred, o: Partial<StoredCredential> = {}): StoredCredential {
  return {
    credentialId: cred.id,
    publicKey: new Uint8Array(cred.signer.cose),
    counter: 0,
    backupEligible: false,
    userHandle: cred.userHandle,
    ...o,
  };
}

const corpus: Case[] = [];
function add(name: string, cred: Cred, parts: Parts, o: Partial<Omit<Case, 'name' | 'response'>> = {}) {
  corpus.push({
    name,
    response: toResponse(parts),
    credential: o.credential ?? stored(cred),
    expectedChallenge: o.expectedChallenge ?? CHALLENGE,
    requireUserVerification: o.requireUserVerification ?? true,
    requireUserHandle: o.requireUserHandle ?? true,
    ...(o.expect ? { expect: o.expect } : {}),
  });
}

// --- 1. Valid assertions for every algorithm: UV, user handles, counters, BE/BS. -------------

const creds = new Map(signers.map((s) => [s.name, newCred(s)]));
const credOf = (name: string) => creds.get(name)!;

const BACKUP = [
  { be: false, bs: false },
  { be: true, bs: false },
  { be: true, bs: true },
];
for (const s of signers) {
  const cred = credOf(s.name);
  let i = 0;
  for (const uv of [true, false]) {
    for (const requireUserVerification of [true, false]) {
      for (const backup of BACKUP) {
        const counter = [0, 1, 0xffffffff, 41][i % 4]!;
        const omitHandle = i % 3 === 2;
        const flags = FLAG.UP | (uv ? FLAG.UV : 0) | (backup.be ? FLAG.BE : 0) | (backup.bs ? FLAG.BS : 0);
        add(
          `${s.name} uv=${uv} requireUV=${requireUserVerification} be=${backup.be} bs=${backup.bs} counter=${counter}${omitHandle ? ' no userHandle' : ''}`,
          cred,
          signed(cred, { authData: authData({ flags, counter }), userHandle: omitHandle ? null : cred.userHandle }),
          {
            credential: stored(cred, { backupEligible: backup.be }),
            requireUserVerification,
            requireUserHandle: !omitHandle,
            expect: uv || !requireUserVerification ? 'accept' : 'refuse',
          },
        );
        i++;
      }
    }
  }
}

// Counters (received vs stored) and user handles: our rules, on three key types.
for (const name of ['ES256', 'EdDSA', 'RS256']) {
  const cred = credOf(name);
  for (const [received, storedCounter, ok] of [
    [0, 0, true],
    [1, 0, true],
    [6, 5, true],
    [5, 5, false],
    [0, 5, false],
    [4, 5, false],
    [0xffffffff, 0xfffffffe, true],
  ] as const) {
    add(`${name} counter ${storedCounter} → ${received}`, cred, signed(cred, { authData: authData({ counter: received }) }), {
      credential: stored(cred, { counter: storedCounter }),
      expect: ok ? 'accept' : 'refuse',
    });
  }
  add(`${name} no userHandle, discoverable`, cred, signed(cred, { userHandle: null }), { expect: 'refuse' });
  add(`${name} no userHandle, identifier-first`, cred, signed(cred, { userHandle: null }), { requireUserHandle: false, expect: 'accept' });
  add(`${name} userHandle of another user`, cred, signed(cred, { userHandle: b64(randomBytes(16)) }), { expect: 'refuse' });
  add(`${name} userHandle of another user, identifier-first`, cred, signed(cred, { userHandle: b64(randomBytes(16)) }), {
    requireUserHandle: false,
    expect: 'refuse',
  });
  const otherId = b64(randomBytes(16));
  add(`${name} id and rawId of another credential (same key)`, cred, signed(cred, { id: otherId, rawId: otherId }), { expect: 'refuse' });
  add(`${name} id differs from rawId`, cred, signed(cred, { id: otherId }), { expect: 'refuse' });
  add(`${name} rawId differs from id`, cred, signed(cred, { rawId: otherId }), { expect: 'refuse' });
  add(`${name} BE set, registered without`, cred, signed(cred, { authData: authData({ flags: FLAG.UP | FLAG.UV | FLAG.BE }) }), {
    expect: 'refuse',
  });
  add(`${name} BE clear, registered with`, cred, signed(cred), { credential: stored(cred, { backupEligible: true }), expect: 'refuse' });
  add(`${name} wrong expected challenge`, cred, signed(cred), { expectedChallenge: OTHER_CHALLENGE, expect: 'refuse' });
}

// --- 2. Tampered assertions from every knob of the software authenticator. --------------------

const knobs: [string, AssertionTamper, boolean][] = [
  ['untampered', {}, true],
  ["type 'webauthn.create'", { type: 'webauthn.create' }, false],
  ["type 'webauthn.get '", { type: 'webauthn.get ' }, false],
  ["type 'WEBAUTHN.GET'", { type: 'WEBAUTHN.GET' }, false],
  ["type ''", { type: '' }, false],
  ["type 'payment.get'", { type: 'payment.get' }, false],
  ['another challenge', { challenge: OTHER_CHALLENGE }, false],
  ['challenge + one char', { challenge: `${CHALLENGE}A` }, false],
  ['challenge padded', { challenge: `${CHALLENGE}=` }, false],
  ['challenge in base64', { challenge: Buffer.from(CHALLENGE, 'base64url').toString('base64') }, CHALLENGE === Buffer.from(CHALLENGE, 'base64url').toString('base64')],
  ['origin not allowed', { origin: 'https://evil.example' }, false],
  ['origin http', { origin: 'http://example.com' }, false],
  ['origin with default port', { origin: 'https://example.com:443' }, false],
  ['origin with trailing slash', { origin: 'https://example.com/' }, false],
  ['origin upper case', { origin: 'https://EXAMPLE.com' }, false],
  ['origin other allowed', { origin: 'https://app.example.com' }, true],
  ['origin sibling not listed', { origin: 'https://other.example.com' }, false],
  ['origin look-alike', { origin: 'https://example.com.evil.com' }, false],
  ['crossOrigin true', { crossOrigin: true }, false],
  ['topOrigin present', { topOrigin: 'https://example.com' }, false],
  ['topOrigin empty', { topOrigin: '' }, false],
  ['crossOrigin true with topOrigin', { crossOrigin: true, topOrigin: 'https://example.com' }, false],
  ['rpId of another RP', { rpId: 'evil.example' }, false],
  ['rpId of a subdomain', { rpId: 'app.example.com' }, false],
  ['rpId upper case', { rpId: 'EXAMPLE.COM' }, false],
  ['rpId with trailing dot', { rpId: 'example.com.' }, false],
  ['UP cleared', { flags: { up: false } }, false],
  ['UP cleared, UV set', { flags: { up: false, uv: true } }, false],
  ['UV cleared', { flags: { uv: false } }, false],
  ['BE set', { flags: { be: true } }, false],
  ['BS set without BE', { flags: { bs: true } }, false],
  ['BE and BS set', { flags: { be: true, bs: true } }, false],
  ['counter 0', { counter: 0 }, true],
  ['counter max', { counter: 0xffffffff }, true],
  ['userHandle omitted', { userHandle: null }, false],
  ['userHandle of someone else', { userHandle: 'c29tZW9uZS1lbHNl' }, false],
  ['signature corrupted', { corruptSignature: true }, false],
  ['id differs', { id: 'b3RoZXItaWQtb3RoZXItaWQ' }, false],
  ['rawId differs', { rawId: 'b3RoZXItaWQtb3RoZXItaWQ' }, false],
  ['id and rawId of another credential', { id: 'b3RoZXItaWQtb3RoZXItaWQ', rawId: 'b3RoZXItaWQtb3RoZXItaWQ' }, false],
];

async function softwareCredential(alg: Alg, options: AuthenticatorOptions = {}) {
  const auth = new SoftwareAuthenticator({ alg, ...options });
  const userHandle = b64(randomBytes(16));
  await auth.create(
    { challenge: CHALLENGE, rp: { id: RP_ID, name: 'Example' }, user: { id: userHandle, name: 'u', displayName: 'u' }, pubKeyCredParams: [] },
    { origin: ORIGINS[0]! },
  );
  const c = auth.credentials[0]!;
  const credential: StoredCredential = {
    credentialId: c.idB64,
    publicKey: new Uint8Array(coseEncodePublicKey(alg, c.publicKey)),
    counter: 0,
    backupEligible: options.backupEligible ?? false,
    userHandle,
  };
  return { auth, credential };
}

async function addKnobCases() {
  for (const alg of ['ES256', 'EdDSA', 'RS256', 'ES384'] as const) {
    const { auth, credential } = await softwareCredential(alg);
    for (const [name, tamper, valid] of knobs) {
      for (const requireUserVerification of [true, false]) {
        const response = await auth.get({ challenge: CHALLENGE, rpId: RP_ID, allowCredentials: [] }, { origin: ORIGINS[0]!, credentialId: credential.credentialId, tamper });
        const uvOptional = name === 'UV cleared' && !requireUserVerification;
        corpus.push({
          name: `authenticator ${alg}: ${name}, requireUV=${requireUserVerification}`,
          response,
          credential,
          expectedChallenge: CHALLENGE,
          requireUserVerification,
          requireUserHandle: true,
          expect: valid || uvOptional ? 'accept' : 'refuse',
        });
      }
    }
  }
  // A synced passkey: BE and BS set, counter always zero.
  const synced = await softwareCredential('ES256', { backupEligible: true, backupState: true, signCount: 'zero' });
  for (const [name, tamper, ok] of [
    ['synced passkey', {}, true],
    ['synced passkey, BS cleared', { flags: { bs: false } }, true],
    ['synced passkey, BE cleared', { flags: { be: false, bs: false } }, false],
    ['synced passkey, counter 7', { counter: 7 }, true],
  ] as const) {
    corpus.push({
      name: `authenticator ES256: ${name}`,
      response: await synced.auth.get({ challenge: CHALLENGE, rpId: RP_ID, allowCredentials: [] }, { origin: ORIGINS[0]!, tamper }),
      credential: synced.credential,
      expectedChallenge: CHALLENGE,
      requireUserVerification: true,
      requireUserHandle: true,
      expect: ok ? 'accept' : 'refuse',
    });
  }
}

// --- 3. Authenticator data: extensions, attested credential data, every flags byte. ---------

const cborOf = (v: unknown) => Buffer.from(isoCBOR.encode(v as Map<string, number>));
const credProtect = cborOf(new Map([['credProtect', 1]]));
const attested = (s: Signer) => {
  const credId = randomBytes(16);
  return Buffer.concat([randomBytes(16), Buffer.from([0, credId.length]), credId, s.cose]);
};
const extensionCases: [string, number, Buffer, boolean | undefined][] = [
  ['ED with a credProtect map', FLAG.ED, credProtect, true],
  ['ED with a nested map', FLAG.ED, cborOf(new Map<string, unknown>([['devicePubKey', new Map([['sig', new Uint8Array([1, 2])]])]])), true],
  ['ED with an empty map', FLAG.ED, cborOf(new Map()), true],
  ['ED with a map of integer keys', FLAG.ED, cborOf(new Map([[1, 2]])), true],
  ['ED with an array of pairs', FLAG.ED, cborOf([[1, 2]]), undefined],
  ['ED with an integer', FLAG.ED, cborOf(7), false],
  ['ED with a text string', FLAG.ED, cborOf('ext'), undefined],
  ['ED with nothing after it', FLAG.ED, Buffer.alloc(0), false],
  ['ED with bytes after the map', FLAG.ED, Buffer.concat([credProtect, Buffer.from([0])]), false],
  ['ED with two maps', FLAG.ED, Buffer.concat([credProtect, credProtect]), false],
  ['ED with a non-canonical map header', FLAG.ED, Buffer.concat([Buffer.from([0xb8, 0x01]), credProtect.subarray(1)]), undefined],
  ['ED with truncated CBOR', FLAG.ED, credProtect.subarray(0, credProtect.length - 1), false],
  ['extensions without ED', 0, credProtect, false],
  ['one stray byte', 0, Buffer.from([0]), false],
  ['AT with attested credential data', FLAG.AT, attested(signer('ES256')), true],
  ['AT with attested credential data of an RSA key', FLAG.AT, attested(signer('RS256')), true],
  ['AT and ED', FLAG.AT | FLAG.ED, Buffer.concat([attested(signer('EdDSA')), credProtect]), true],
  ['AT with nothing after it', FLAG.AT, Buffer.alloc(0), false],
  ['AT with a credential id longer than the data', FLAG.AT, Buffer.from([...randomBytes(16), 0x01, 0x00, 1, 2, 3]), false],
];
for (const name of ['ES256', 'EdDSA', 'RS256']) {
  const cred = credOf(name);
  for (const [what, extraFlags, rest, ok] of extensionCases) {
    const ad = authData({ flags: FLAG.UP | FLAG.UV | extraFlags, rest });
    add(`${name} authData: ${what}`, cred, signed(cred, { authData: ad }), ok === undefined ? {} : { expect: ok ? 'accept' : 'refuse' });
  }
  add(`${name} authData: 36 bytes`, cred, signed(cred, { authData: authData().subarray(0, 36) }), { expect: 'refuse' });
  add(`${name} authData: empty`, cred, signed(cred, { authData: Buffer.alloc(0) }), { expect: 'refuse' });
}
// Every flags byte, correctly signed: UP/UV/BE/BS/AT/ED and the reserved bits together.
for (let flags = 0; flags < 256; flags++) {
  const cred = credOf(pick(['ES256', 'EdDSA', 'RS256', 'PS256']));
  const rest = (flags & FLAG.AT ? attested(cred.signer) : Buffer.alloc(0));
  const ad = authData({ flags, rest: flags & FLAG.ED ? Buffer.concat([rest, credProtect]) : rest });
  add(`${cred.signer.name} flags 0x${flags.toString(16)}`, cred, signed(cred, { authData: ad }), {
    credential: stored(cred, { backupEligible: Boolean(flags & FLAG.BE) }),
    requireUserVerification: flags % 3 === 0,
  });
}

// --- 4. clientDataJSON, correctly signed. -----------------------------------------------------

const base = `"type":"webauthn.get","challenge":"${CHALLENGE}","origin":"${ORIGINS[0]}"`;
const clientDataCases: [string, Buffer, boolean | undefined][] = [
  ['an extra member', clientData({ other_keys_can_be_added_here: 'do not compare clientDataJSON against a template' }), true],
  ['tokenBinding present', clientData({ tokenBinding: { status: 'present', id: 'abc' } }), true],
  ['tokenBinding supported', clientData({ tokenBinding: { status: 'supported' } }), true],
  ['tokenBinding notSupported', clientData({ tokenBinding: { status: 'notSupported' } }), true],
  ['tokenBinding with an unknown status', clientData({ tokenBinding: { status: 'bogus' } }), false],
  ['tokenBinding without status', clientData({ tokenBinding: {} }), false],
  ['tokenBinding a string', clientData({ tokenBinding: 'present' }), false],
  ['tokenBinding an array', clientData({ tokenBinding: [] }), false],
  ['tokenBinding true', clientData({ tokenBinding: true }), false],
  ['tokenBinding 1', clientData({ tokenBinding: 1 }), false],
  ['tokenBinding null', clientData({ tokenBinding: null }), true],
  ['tokenBinding false', clientData({ tokenBinding: false }), true],
  ["tokenBinding ''", clientData({ tokenBinding: '' }), true],
  ['crossOrigin omitted', Buffer.from(`{${base}}`), true],
  ["crossOrigin 'true'", clientData({ crossOrigin: 'true' }), true],
  ['crossOrigin 1', clientData({ crossOrigin: 1 }), true],
  ['crossOrigin null', clientData({ crossOrigin: null }), true],
  ['crossOrigin true', clientData({ crossOrigin: true }), false],
  ['topOrigin null', clientData({ topOrigin: null }), false],
  ["topOrigin ''", clientData({ topOrigin: '' }), false],
  ['topOrigin with crossOrigin true', clientData({ crossOrigin: true, topOrigin: ORIGINS[0] }), false],
  ['type given twice, get last', Buffer.from(`{"type":"webauthn.create",${base}}`), true],
  ['type given twice, create last', Buffer.from(`{${base},"type":"webauthn.create"}`), false],
  ['type with an escaped letter', Buffer.from(`{${base.replace('webauthn.get', 'webauthn.\\u0067et')}}`), true],
  ['challenge a number', clientData({ challenge: 7 }), false],
  ['challenge null', clientData({ challenge: null }), false],
  ['challenge an array', clientData({ challenge: [CHALLENGE] }), false],
  ['challenge missing', Buffer.from(`{"type":"webauthn.get","origin":"${ORIGINS[0]}"}`), false],
  ['origin missing', Buffer.from(`{"type":"webauthn.get","challenge":"${CHALLENGE}"}`), false],
  ['origin a number', clientData({ origin: 443 }), false],
  ['origin an array', clientData({ origin: [ORIGINS[0]] }), false],
  ['type missing', Buffer.from(`{"challenge":"${CHALLENGE}","origin":"${ORIGINS[0]}"}`), false],
  ['JSON null', Buffer.from('null'), false],
  ['a JSON array', Buffer.from(`[${JSON.stringify(CHALLENGE)}]`), false],
  ['a JSON string', Buffer.from('"webauthn.get"'), false],
  ['not JSON', Buffer.from(`{${base}`), false],
  ['empty', Buffer.alloc(0), false],
  ['a byte-order mark first', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), clientData()]), false],
  ['whitespace around', Buffer.from(` \n{ ${base} }\n `), true],
  ['garbage after the object', Buffer.from(`{${base}}x`), false],
  ['invalid UTF-8 in an extra member', Buffer.concat([Buffer.from(`{${base},"x":"`), Buffer.from([0xc3]), Buffer.from('"}')]), true],
  ['truncated UTF-8 sequence before a quote', Buffer.concat([Buffer.from(`{${base},"x":"`), Buffer.from([0xf0, 0x9f]), Buffer.from('"}')]), true],
  ['invalid UTF-8 in the type', Buffer.from(`{${base.replace('webauthn.get', 'webauthn.get\u00ff')}}`, 'latin1'), false],
  ['UTF-16 encoded', Buffer.from(`{${base}}`, 'utf16le'), false],
];
for (const name of ['ES256', 'RS256']) {
  const cred = credOf(name);
  for (const [what, cd, ok] of clientDataCases) {
    add(`${name} clientDataJSON: ${what}`, cred, signed(cred, { clientData: cd }), ok === undefined ? {} : { expect: ok ? 'accept' : 'refuse' });
  }
}

// --- 5. Signature encodings and forgeries. ----------------------------------------------------

const derLength = (n: number) => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);
const tlv = (tag: number, content: Buffer, length = derLength(content.length)) => Buffer.concat([Buffer.from([tag, ...length]), content]);
function minimalInt(v: bigint): Buffer {
  const hex = v.toString(16);
  const b = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
}
const fixedInt = (v: bigint, size: number) => Buffer.from(v.toString(16).padStart(size * 2, '0'), 'hex');
const derSig = (r: Buffer, s: Buffer) => tlv(0x30, Buffer.concat([tlv(0x02, r), tlv(0x02, s)]));

/** Reads node's own DER output. */
function readDer(sig: Buffer): { r: bigint; s: bigint } {
  let i = sig[1]! === 0x81 ? 3 : 2;
  const read = () => {
    const len = sig[i + 1]!;
    const v = BigInt(`0x${sig.subarray(i + 2, i + 2 + len).toString('hex') || '0'}`);
    i += 2 + len;
    return v;
  };
  return { r: read(), s: read() };
}

function ecdsaVariants(s: Signer, good: Buffer): [string, Buffer, boolean | undefined][] {
  const { size, order } = s.ec!;
  const { r, s: sv } = readDer(good);
  const content = good.subarray(good[1] === 0x81 ? 3 : 2);
  const rInt = tlv(0x02, minimalInt(r));
  const sInt = tlv(0x02, minimalInt(sv));
  const out: [string, Buffer, boolean | undefined][] = [
    ['as signed', good, true],
    // Strict DER only when both happen to be minimal at full width: no expectation.
    ['fixed-width r and s (negative-looking INTEGERs)', derSig(fixedInt(r, size), fixedInt(sv, size)), undefined],
    ['high-S twin (n − s)', derSig(minimalInt(r), minimalInt(order - sv)), true],
    ['r and s swapped', derSig(minimalInt(sv), minimalInt(r)), false],
    ['r = 0', derSig(minimalInt(0n), minimalInt(sv)), false],
    ['s = 0', derSig(minimalInt(r), minimalInt(0n)), false],
    ['r = n', derSig(minimalInt(order), minimalInt(sv)), false],
    ['r + n', derSig(minimalInt(r + order), minimalInt(sv)), false],
    ['empty INTEGER r', derSig(Buffer.alloc(0), minimalInt(sv)), false],
    ['r with two leading zero bytes', derSig(Buffer.concat([Buffer.alloc(2), minimalInt(r)]), minimalInt(sv)), undefined],
    // The library accepts the rest of these BER spellings; our strict-DER rule refuses them.
    ['one trailing byte', Buffer.concat([good, Buffer.from([0])]), false],
    ['three trailing bytes', Buffer.concat([good, randomBytes(3)]), false],
    ['long-form SEQUENCE length', tlv(0x30, content, [0x82, content.length >> 8, content.length & 0xff]), false],
    ['long-form INTEGER length', tlv(0x30, Buffer.concat([tlv(0x02, minimalInt(r), [0x81, minimalInt(r).length]), sInt])), false],
    ['indefinite SEQUENCE length', Buffer.concat([Buffer.from([0x30, 0x80]), content, Buffer.from([0, 0])]), false],
    ['context tag [0] instead of SEQUENCE', tlv(0xa0, content), false],
    ['SET instead of SEQUENCE', tlv(0x31, content), false],
    ['OCTET STRING instead of INTEGER', tlv(0x30, Buffer.concat([tlv(0x04, minimalInt(r)), sInt])), false],
    ['a third INTEGER', tlv(0x30, Buffer.concat([rInt, sInt, tlv(0x02, Buffer.from([5]))])), false],
    ['only r', tlv(0x30, rInt), false],
    ['SEQUENCE length one short', Buffer.concat([good.subarray(0, good[1] === 0x81 ? 2 : 1), Buffer.from([good[good[1] === 0x81 ? 2 : 1]! - 1]), content]), undefined],
    ['SEQUENCE length one long', Buffer.concat([good.subarray(0, good[1] === 0x81 ? 2 : 1), Buffer.from([good[good[1] === 0x81 ? 2 : 1]! + 1]), content]), false],
    ['raw r‖s (IEEE P1363)', Buffer.concat([fixedInt(r, size), fixedInt(sv, size)]), undefined],
    ['truncated by one byte', good.subarray(0, good.length - 1), false],
    ['empty', Buffer.alloc(0), false],
    ['just a SEQUENCE tag', Buffer.from([0x30]), false],
  ];
  const rMin = minimalInt(r);
  if (rMin.length <= size && !(rMin[0]! & 0x80)) {
    out.push(['r padded to size + 1 with zeros', derSig(Buffer.concat([Buffer.alloc(size + 1 - rMin.length), rMin]), minimalInt(sv)), false]);
  }
  if (rMin.length < size) out.push(['r padded to size with zeros', derSig(fixedInt(r, size), minimalInt(sv)), false]);
  return out;
}

for (const name of ['ES256', 'ES384', 'ES512']) {
  const cred = credOf(name);
  // Several signatures each, so r and s of every length class turn up.
  for (let n = 0; n < 4; n++) {
    const p = signed(cred, { authData: authData({ counter: n }) });
    for (const [what, sig, ok] of ecdsaVariants(cred.signer, p.signature)) {
      add(`${name} signature #${n}: ${what}`, cred, { ...p, signature: sig }, ok === undefined ? {} : { expect: ok ? 'accept' : 'refuse' });
    }
  }
}
{
  const cred = credOf('EdDSA');
  const p = signed(cred);
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const S = BigInt(`0x${Buffer.from(p.signature.subarray(32)).reverse().toString('hex')}`);
  const sPlusL = Buffer.from((S + L).toString(16).padStart(64, '0'), 'hex').reverse();
  for (const [what, sig] of [
    ['S + L (non-canonical)', Buffer.concat([p.signature.subarray(0, 32), sPlusL])],
    ['one trailing byte', Buffer.concat([p.signature, Buffer.from([0])])],
    ['truncated', p.signature.subarray(0, 63)],
    ['empty', Buffer.alloc(0)],
    ['all zeros', Buffer.alloc(64)],
  ] as const) {
    add(`EdDSA signature: ${what}`, cred, { ...p, signature: sig }, { expect: 'refuse' });
  }
}
for (const name of ['RS256', 'PS256']) {
  const cred = credOf(name);
  const p = signed(cred);
  for (const [what, sig] of [
    ['a leading zero byte', Buffer.concat([Buffer.from([0]), p.signature])],
    ['truncated', p.signature.subarray(1)],
    ['one trailing byte', Buffer.concat([p.signature, Buffer.from([0])])],
    ['empty', Buffer.alloc(0)],
  ] as const) {
    add(`${name} signature: ${what}`, cred, { ...p, signature: sig }, { expect: 'refuse' });
  }
}
add('PS256 signed with salt length 20', credOf('PS256'), signed({ ...credOf('PS256'), signer: rsaSigner('PS256/20', -37, 'sha256', 20) }), { expect: 'refuse' });
add('PS256 signed with PKCS#1 v1.5', credOf('PS256'), signed({ ...credOf('PS256'), signer: signer('RS256') }), { expect: 'refuse' });
add('RS256 signed with PSS', credOf('RS256'), signed({ ...credOf('RS256'), signer: signer('PS256') }), { expect: 'refuse' });
add('RS256 signed with SHA-384', credOf('RS256'), signed({ ...credOf('RS256'), signer: signer('RS384') }), { expect: 'refuse' });

// --- 6. Stored keys that differ from the signing key, and odd stored keys. ------------------

for (const s of signers) {
  const cred = credOf(s.name);
  const other = s.ec ? ecSigner('other', (['P-256', 'P-384', 'P-521'] as const)[s.ec.size === 32 ? 0 : s.ec.size === 48 ? 1 : 2], -7, 'sha256') : s.name === 'EdDSA' ? edSigner() : rsaSigner('other', -257, 'sha256', undefined, otherRsaKeys);
  // Signed by another key of the same kind, then the stored key replaced by another key.
  add(`${s.name} signed by another key`, cred, signed({ ...cred, signer: { ...s, sign: other.sign } }), { expect: 'refuse' });
  add(`${s.name} stored key is another key`, cred, signed(cred), { credential: stored(cred, { publicKey: new Uint8Array(other.cose) }), expect: 'refuse' });
  const otherKind = signers[(signers.indexOf(s) + 4) % signers.length]!;
  add(`${s.name} stored key is a ${otherKind.name} key`, cred, signed(cred), { credential: stored(cred, { publicKey: new Uint8Array(otherKind.cose) }), expect: 'refuse' });
}

function oddKey(name: string, cose: Buffer, sign: (data: Buffer) => Buffer, ok: boolean | undefined) {
  const cred = newCred({ name, cose, sign });
  add(`stored key: ${name}`, cred, signed(cred), ok === undefined ? {} : { expect: ok ? 'accept' : 'refuse' });
}
{
  const p256 = ecSigner('P-256', 'P-256', -7, 'sha256');
  const ecMap = () => ecCose(p256.publicKey, 'P-256', -7);
  const withParam = (label: number, value: unknown) => cbor(new Map([...ecMap(), [label, value]]));
  const without = (label: number) => cbor(new Map([...ecMap()].filter(([k]) => k !== label)));
  const sha = (hash: string) => (data: Buffer) => sign(hash, data, { key: p256.privateKey, dsaEncoding: 'der' });
  oddKey('P-256 key labelled ES384, signed with SHA-384', withParam(3, -35), sha('sha384'), true);
  oddKey('P-256 key labelled ES384, signed with SHA-256', withParam(3, -35), sha('sha256'), false);
  oddKey('P-256 key labelled EdDSA, signed with SHA-512', withParam(3, -8), sha('sha512'), true);
  oddKey('P-256 key labelled RS256, signed with SHA-256', withParam(3, -257), sha('sha256'), true);
  oddKey('P-256 key labelled PS512, signed with SHA-512', withParam(3, -39), sha('sha512'), true);
  oddKey('P-256 key labelled RS1, signed with SHA-1', withParam(3, -65535), sha('sha1'), true);
  oddKey('P-256 key labelled ES256K', withParam(3, -47), sha('sha256'), false);
  oddKey('P-256 key labelled ML-DSA-44', withParam(3, -48), sha('sha256'), false);
  oddKey('P-256 key with alg 0', withParam(3, 0), sha('sha256'), false);
  oddKey("P-256 key with alg 'ES256'", withParam(3, 'ES256'), sha('sha256'), false);
  oddKey('P-256 key without alg', without(3), sha('sha256'), false);
  oddKey('P-256 key without y', without(-3), sha('sha256'), false);
  oddKey('P-256 key without crv', without(-1), sha('sha256'), false);
  oddKey('P-256 key with crv secp256k1', withParam(-1, 8), sha('sha256'), false);
  oddKey('P-256 key with crv Ed25519', withParam(-1, 6), sha('sha256'), false);
  oddKey('P-256 key with crv P-384', withParam(-1, 2), sha('sha256'), false);
  oddKey('P-256 key with x off the curve', withParam(-2, Buffer.from(jwkBytes(p256.publicKey, 'x').map((b, i) => (i === 31 ? b ^ 1 : b)))), sha('sha256'), false);
  oddKey('P-256 key with a 33-byte x', withParam(-2, Buffer.concat([Buffer.from([0]), jwkBytes(p256.publicKey, 'x')])), sha('sha256'), undefined);
  oddKey('P-256 key with an empty x', withParam(-2, Buffer.alloc(0)), sha('sha256'), false);
  oddKey("P-256 key with kty 'EC2'", withParam(1, 'EC2'), sha('sha256'), false);
  oddKey('P-256 key with an extra parameter', withParam(-4, Buffer.from('ignored')), sha('sha256'), true);
  oddKey('P-256 key with kty 4 (symmetric)', withParam(1, 4), sha('sha256'), false);
  oddKey('P-256 key with kty 7 (AKP)', withParam(1, 7), sha('sha256'), false);
  // A P-256 key whose x starts with a zero byte, stored with that byte dropped (31-byte x).
  let short = p256;
  while (jwkBytes(short.publicKey, 'x')[0] !== 0) short = ecSigner('P-256', 'P-256', -7, 'sha256');
  const shortX = cbor(new Map([...ecCose(short.publicKey, 'P-256', -7), [-2, jwkBytes(short.publicKey, 'x').subarray(1)]]));
  oddKey('P-256 key with a 31-byte x (leading zero dropped)', shortX, short.sign, undefined);

  const ed = signer('EdDSA') as ReturnType<typeof edSigner>;
  const edMap = () => new Map<number, unknown>([[1, 1], [3, -8], [-1, 6], [-2, jwkBytes(ed.publicKey, 'x')]]);
  const edWith = (label: number, value: unknown) => cbor(new Map([...edMap(), [label, value]]));
  oddKey('Ed25519 key labelled ES256', edWith(3, -7), ed.sign, true);
  oddKey('Ed25519 key labelled RS1', edWith(3, -65535), ed.sign, true);
  oddKey('Ed25519 key with an unknown alg', edWith(3, -9999), ed.sign, false);
  oddKey('Ed25519 key labelled ML-DSA-65', edWith(3, -49), ed.sign, false);
  oddKey('Ed25519 key with crv Ed448', edWith(-1, 7), ed.sign, false);
  oddKey('Ed25519 key with crv X25519', edWith(-1, 4), ed.sign, false);
  oddKey('Ed25519 key with a 31-byte x', edWith(-2, jwkBytes(ed.publicKey, 'x').subarray(1)), ed.sign, false);

  const rsaWith = (label: number, value: unknown) =>
    cbor(new Map<number, unknown>([[1, 3], [3, -257], [-1, jwkBytes(rsaKeys.publicKey, 'n')], [-2, jwkBytes(rsaKeys.publicKey, 'e')], [label, value]]));
  oddKey('RSA key labelled ES256', rsaWith(3, -7), signer('RS256').sign, false);
  oddKey('RSA key labelled EdDSA', rsaWith(3, -8), signer('RS256').sign, false);
  oddKey('RSA key labelled ES256K', rsaWith(3, -47), signer('RS256').sign, false);
  oddKey('RSA key with an unknown alg', rsaWith(3, -260), signer('RS256').sign, false);
  oddKey('RSA key without e', cbor(new Map<number, unknown>([[1, 3], [3, -257], [-1, jwkBytes(rsaKeys.publicKey, 'n')]])), signer('RS256').sign, false);
  oddKey('RSA key with n one byte short', rsaWith(-1, jwkBytes(rsaKeys.publicKey, 'n').subarray(1)), signer('RS256').sign, false);

  oddKey('not CBOR', Buffer.from([0xff, 0x00]), p256.sign, false);
  oddKey('empty', Buffer.alloc(0), p256.sign, false);
  oddKey('a CBOR array', cborOf([1, 2, 3]), p256.sign, false);
  oddKey('a CBOR integer', cborOf(2), p256.sign, false);
  oddKey('a P-256 COSE key with bytes after it', Buffer.concat([p256.cose, Buffer.from([0])]), p256.sign, true);
}

// --- 7. Random mutations of valid assertions (seeded). ----------------------------------------

type Field = 'authData' | 'clientData' | 'signature';
const mutations: Record<string, (b: Buffer) => Buffer> = {
  'flip a bit': (b) => {
    if (!b.length) return Buffer.from([int(256)]);
    const c = Buffer.from(b);
    c[int(c.length)]! ^= 1 << int(8);
    return c;
  },
  'set a byte': (b) => {
    if (!b.length) return Buffer.from([int(256)]);
    const c = Buffer.from(b);
    c[int(c.length)] = int(256);
    return c;
  },
  truncate: (b) => b.subarray(0, int(b.length)),
  'drop a byte': (b) => {
    const i = int(b.length);
    return Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
  },
  'insert a byte': (b) => {
    const i = int(b.length + 1);
    return Buffer.concat([b.subarray(0, i), Buffer.from([int(256)]), b.subarray(i)]);
  },
  extend: (b) => Buffer.concat([b, randomBytes(1 + int(8))]),
  'random bytes': (b) => randomBytes(int(b.length + 8)),
};
const RANDOM_CASES = Number(process.env.LATCHKEY_DIFF_RANDOM ?? 700);
for (let n = 0; n < RANDOM_CASES; n++) {
  const s = pick(signers);
  const cred = credOf(s.name);
  const field: Field = pick(['authData', 'clientData', 'signature'] as const);
  const [what, mutate] = pick(Object.entries(mutations));
  // Re-signing after the change leaves the parsers as the only judges; not re-signing tests
  // that the change breaks the signature.
  const resign = field !== 'signature' && random() < 0.5;
  const withExtensions = random() < 0.15;
  const flags0 = pick([FLAG.UP | FLAG.UV, FLAG.UP, FLAG.UP | FLAG.UV | FLAG.BE | FLAG.BS]) | (withExtensions ? FLAG.ED : 0);
  const valid = signed(cred, { authData: authData({ counter: int(3), flags: flags0, ...(withExtensions ? { rest: credProtect } : {}) }) });
  const changed = mutate(valid[field]);
  const parts = resign ? signed(cred, { authData: valid.authData, clientData: valid.clientData, [field]: changed }) : { ...valid, [field]: changed };
  const flags = parts.authData[32] ?? 0;
  add(`random #${n} ${s.name}: ${what} in ${field}${resign ? ', re-signed' : ''}`, cred, parts, {
    credential: stored(cred, { backupEligible: Boolean(flags & FLAG.BE) }),
    requireUserVerification: random() < 0.5,
  });
}
// Base64url strings a little off: a dangling character, non-zero padding bits.
{
  const cred = credOf('ES256');
  const r = toResponse(signed(cred));
  const lastChar = (v: string) => `${v.slice(0, -1)}${v.at(-1) === 'A' ? 'B' : 'A'}`;
  for (const field of ['clientDataJSON', 'authenticatorData', 'signature'] as const) {
    for (const [what, f] of [
      ['a dangling character', (v: string) => `${v}A`],
      ['a changed last character', lastChar],
    ] as const) {
      corpus.push({
        name: `ES256 ${field} string with ${what}`,
        response: { ...r, response: { ...r.response, [field]: f(r.response[field]) } },
        credential: stored(cred),
        expectedChallenge: CHALLENGE,
        requireUserVerification: true,
        requireUserHandle: true,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The oracle: the library, and our relying-party rules written out again.

/** Why our RP rules refuse this response (null: they do not), independently of the code. */
function rpRules(c: Case, r: AuthenticationResponseJSON): string | null {
  if (r.rawId !== c.credential.credentialId) return 'the credential is not the stored one';
  const uh = r.response.userHandle;
  if (uh == null || uh === '') {
    if (c.requireUserHandle) return 'userHandle required';
  } else if (uh !== c.credential.userHandle) {
    return "another user's userHandle";
  }
  let cd: unknown;
  try {
    cd = JSON.parse(Buffer.from(r.response.clientDataJSON, 'base64url').toString('utf8'));
  } catch {
    return 'clientDataJSON is not JSON as decoded by us (no BOM stripping)';
  }
  if (cd !== null && typeof cd === 'object') {
    const o = cd as Record<string, unknown>;
    if (o.crossOrigin === true) return 'crossOrigin';
    if (o.topOrigin !== undefined) return 'topOrigin';
  }
  // Issue 9: an ECDSA signature must be strict DER, where the library takes BER too.
  let key;
  try {
    key = parseCosePublicKey(c.credential.publicKey);
  } catch {
    key = null;
  }
  if (key?.scheme === 'ecdsa' && strictDerToP1363(Buffer.from(r.response.signature, 'base64url'), key.componentLength) === null) {
    return 'ECDSA signature not strict DER';
  }
  const ad = Buffer.from(r.response.authenticatorData, 'base64url');
  if (ad.length >= 37) {
    if (Boolean(ad[32]! & FLAG.BE) !== c.credential.backupEligible) return 'BE changed';
    const counter = ad.readUInt32BE(33);
    if ((counter !== 0 || c.credential.counter !== 0) && counter <= c.credential.counter) return 'counter did not increase';
  }
  return null;
}

type Outcome = { ok: true; counter: number; userVerified: boolean; backedUp: boolean } | { ok: false; reason: string };

async function library(c: Case, r: AuthenticationResponseJSON): Promise<Outcome> {
  try {
    const result = await verifyAuthenticationResponse({
      response: r,
      expectedChallenge: c.expectedChallenge,
      expectedOrigin: ORIGINS,
      expectedRPID: RP_ID,
      credential: { id: c.credential.credentialId, publicKey: c.credential.publicKey, counter: 0 },
      requireUserVerification: c.requireUserVerification,
    });
    if (!result.verified) return { ok: false, reason: 'verified: false' };
    const i = result.authenticationInfo;
    return { ok: true, counter: i.newCounter, userVerified: i.userVerified, backedUp: i.credentialBackedUp };
  } catch (err) {
    return { ok: false, reason: `threw: ${(err as Error).message}` };
  }
}

async function ours(c: Case, r: AuthenticationResponseJSON): Promise<Outcome & { foreign?: unknown }> {
  try {
    const v = await verifyAuthentication({
      response: r,
      credential: c.credential,
      expectedChallenge: c.expectedChallenge,
      policy,
      requireUserVerification: c.requireUserVerification,
      requireUserHandle: c.requireUserHandle,
    });
    return { ok: true, counter: v.newCounter, userVerified: v.userVerified, backedUp: v.backupState };
  } catch (err) {
    // Anything but CeremonyRejected would be a 500 for the caller.
    return { ok: false, reason: (err as Error).message, ...(err instanceof CeremonyRejected ? {} : { foreign: err }) };
  }
}

const replay = (c: Case) =>
  JSON.stringify({ ...c, credential: { ...c.credential, publicKey: Buffer.from(c.credential.publicKey).toString('hex') } });

describe('verifyAuthentication against @simplewebauthn/server', () => {
  it(`agrees on every case of the corpus (seed ${SEED})`, { timeout: 180_000 }, async () => {
    await addKnobCases();
    const disagreements: string[] = [];
    const tally = { cases: corpus.length, schemaRefused: 0, accepted: 0, refusedByLibrary: 0, refusedOnlyByOurRules: 0 };
    const acceptedPerSigner = new Map<string, number>();

    for (const c of corpus) {
      // Both get what the caller gives verifyAuthentication: the parsed public_key_credential.
      let r: AuthenticationResponseJSON;
      try {
        r = parseAuthenticationCredential(JSON.stringify(c.response));
      } catch {
        tally.schemaRefused++;
        continue;
      }
      const [lib, mine] = await Promise.all([library(c, r), ours(c, r)]);
      const rule = rpRules(c, r);
      const expected = lib.ok && rule === null;
      const problems: string[] = [];
      if (mine.foreign) problems.push(`threw a ${(mine.foreign as Error).name}, not CeremonyRejected`);
      if (mine.ok !== expected) problems.push(`ours ${mine.ok ? 'accepted' : `refused (${mine.ok ? '' : mine.reason})`}`);
      if (mine.ok && lib.ok && (mine.counter !== lib.counter || mine.userVerified !== lib.userVerified || mine.backedUp !== lib.backedUp)) {
        problems.push(`results differ: ours ${JSON.stringify(mine)}, library ${JSON.stringify(lib)}`);
      }
      if (c.expect && (lib.ok && rule === null ? 'accept' : 'refuse') !== c.expect) problems.push(`the case was built to ${c.expect}`);
      if (problems.length) {
        disagreements.push(`${c.name}: ${problems.join('; ')}; library ${lib.ok ? 'accepted' : `refused (${lib.ok ? '' : lib.reason})`}; our rules: ${rule ?? 'no objection'}\n  replay: ${replay(c)}`);
      }
      if (expected) {
        tally.accepted++;
        const signerName = c.name.split(' ')[0]!;
        acceptedPerSigner.set(signerName, (acceptedPerSigner.get(signerName) ?? 0) + 1);
      } else if (!lib.ok) tally.refusedByLibrary++;
      else tally.refusedOnlyByOurRules++;
    }

    const summary = { seed: SEED, ...tally };
    console.log('differential corpus:', JSON.stringify(summary));
    expect(disagreements, disagreements.join('\n')).toEqual([]);
    // The corpus must be worth its name: large, and on both sides of every line.
    expect(tally.cases).toBeGreaterThan(1500);
    expect(tally.accepted).toBeGreaterThan(300);
    expect(tally.refusedByLibrary).toBeGreaterThan(500);
    expect(tally.refusedOnlyByOurRules).toBeGreaterThan(40);
    for (const s of signers) expect(acceptedPerSigner.get(s.name), s.name).toBeGreaterThanOrEqual(6);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the parsed-key cache', () => {
  const verifyWith = (cred: Cred, publicKey: Buffer, parts = signed(cred)) =>
    ours(
      { name: '', response: toResponse(parts), credential: stored(cred, { publicKey: new Uint8Array(publicKey) }), expectedChallenge: CHALLENGE, requireUserVerification: true, requireUserHandle: true },
      toResponse(parts),
    );

  it('parses a credential key once and reuses it', async () => {
    for (const s of signers) {
      const cred = newCred(s);
      const parses = assertionKeys.parses;
      const hits = assertionKeys.hits;
      expect((await verifyWith(cred, s.cose)).ok).toBe(true);
      expect((await verifyWith(cred, s.cose)).ok).toBe(true);
      expect((await verifyWith(cred, Buffer.from(s.cose))).ok).toBe(true); // equal bytes, another array
      expect([assertionKeys.parses - parses, assertionKeys.hits - hits]).toEqual([1, 2]);
    }
  });

  it("parses again when a credential's stored key changes, and the old key's signatures then fail", async () => {
    const a = ecSigner('A', 'P-256', -7, 'sha256');
    const b = ecSigner('B', 'P-256', -7, 'sha256');
    const id = b64(randomBytes(16));
    const userHandle = b64(randomBytes(16));
    const asA: Cred = { id, userHandle, signer: a };
    const asB: Cred = { id, userHandle, signer: b };
    const parses = assertionKeys.parses;

    expect((await verifyWith(asA, a.cose)).ok).toBe(true);
    // Re-registered: same credential id, key B stored. A's signatures must no longer verify.
    expect(await verifyWith(asA, b.cose)).toMatchObject({ ok: false, reason: 'the signature did not verify' });
    expect((await verifyWith(asB, b.cose)).ok).toBe(true);
    expect(assertionKeys.parses - parses).toBe(2);
    // And back.
    expect((await verifyWith(asB, a.cose)).ok).toBe(false);
    expect((await verifyWith(asA, a.cose)).ok).toBe(true);
    expect(assertionKeys.parses - parses).toBe(3);
  });

  it('forgets a key whose new bytes cannot be parsed, rather than keep the old one', async () => {
    const cred = newCred(signer('ES256'));
    expect((await verifyWith(cred, cred.signer.cose)).ok).toBe(true);
    expect((await verifyWith(cred, Buffer.from([0xa0]))).ok).toBe(false);
    const parses = assertionKeys.parses;
    expect((await verifyWith(cred, cred.signer.cose)).ok).toBe(true);
    expect(assertionKeys.parses - parses).toBe(1);
  });

  it('is bounded, dropping the least recently used key', () => {
    const cache = new AssertionKeyCache(2);
    const [k1, k2, k3] = ['ES256', 'EdDSA', 'RS256'].map((n) => signer(n).cose);
    cache.get('one', k1!);
    cache.get('two', k2!);
    cache.get('one', k1!); // now "two" is the least recently used
    cache.get('three', k3!);
    expect(cache.size).toBe(2);
    expect([cache.parses, cache.hits]).toEqual([3, 1]);
    cache.get('one', k1!);
    expect([cache.parses, cache.hits]).toEqual([3, 2]);
    cache.get('two', k2!);
    expect([cache.parses, cache.hits]).toEqual([4, 2]);
    expect(cache.size).toBe(2);
  });

  it("keeps its own copy of the key bytes, so a caller's later change to them is noticed", async () => {
    const cred = newCred(signer('ES256'));
    const bytes = new Uint8Array(cred.signer.cose);
    const cache = new AssertionKeyCache();
    const first = cache.get(cred.id, bytes);
    bytes.set(signer('ES384').cose.subarray(0, bytes.length));
    expect(() => cache.get(cred.id, bytes)).toThrow();
    expect(cache.get(cred.id, cred.signer.cose)).not.toBe(first);
  });
});

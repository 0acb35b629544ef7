/**
 * A software WebAuthn authenticator + client for tests: it plays the browser's
 * navigator.credentials.create()/get() and the authenticator behind it, and returns the
 * WebAuthn L3 JSON serialisation (RegistrationResponseJSON / AuthenticationResponseJSON)
 * that a relying party receives. Keys, CBOR and signatures are real.
 *
 * Tamper knobs let a test break exactly one thing; signatures are computed over the tampered
 * bytes (unless a knob says otherwise) so the tampered field is the only defect.
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { COSE_ALG, coseEncodePublicKey, generateKeys, signData, type Alg } from './cose.js';

export type { Alg } from './cose.js';

export interface AuthenticatorOptions {
  alg?: Alg; // default ES256
  aaguid?: string; // UUID string, default all zeros
  userVerification?: boolean; // sets UV; default true
  backupEligible?: boolean; // BE; default false
  backupState?: boolean; // BS; default false
  /** 'packed' = self attestation (WebAuthn §8.2, no x5c); default 'none' (§8.7). */
  attestation?: 'none' | 'packed';
  /** 'increment' (default): +1 per assertion. 'zero': always 0, like most synced passkeys. */
  signCount?: 'zero' | 'increment';
  /** Generate a new RSA key per RS256 credential instead of reusing a cached one (slow). */
  freshRsaKey?: boolean;
}

export interface StoredCredential {
  id: Uint8Array;
  idB64: string;
  rpId: string;
  userHandle: string; // base64url, exactly as given in options.user.id
  alg: Alg;
  privateKey: KeyObject;
  publicKey: KeyObject;
  counter: number;
}

export interface Flags {
  up?: boolean;
  uv?: boolean;
  be?: boolean;
  bs?: boolean;
}

interface CommonTamper {
  // CollectedClientData (WebAuthn §5.8.1)
  type?: string;
  challenge?: string;
  origin?: string;
  crossOrigin?: boolean;
  topOrigin?: string;
  // Authenticator data (§6.1)
  rpId?: string; // RP ID whose SHA-256 goes into authData
  flags?: Flags; // overrides the computed flags
  counter?: number; // explicit signCount
}

export interface RegistrationTamper extends CommonTamper {
  fmt?: string;
  id?: string;
  rawId?: string;
  /** Credential ID written into attestedCredentialData instead of the returned id/rawId. */
  authDataCredentialId?: Uint8Array | string; // string = base64url
  /** Length in bytes of the generated credential ID (spec max is 1023). */
  credentialIdLength?: number;
  transports?: string[];
  /** Replaces the COSE public key written into attestedCredentialData (e.g. truncated, off-curve). */
  cosePublicKey?: (real: Uint8Array) => Uint8Array;
  /** Bytes appended after the CBOR attestation object. */
  attestationObjectSuffix?: Uint8Array;
}

export interface AssertionTamper extends CommonTamper {
  userHandle?: string | null; // null = omit
  corruptSignature?: boolean; // flip a byte after signing
  /** Bytes appended to the (otherwise valid) signature. */
  signatureSuffix?: Uint8Array;
  id?: string;
  rawId?: string;
}

// authData flag bits (WebAuthn §6.1)
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

const b64url = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
const fromB64url = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
const sha256 = (b: Uint8Array | string): Uint8Array =>
  new Uint8Array(createHash('sha256').update(b).digest());
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Browsers reject with DOMExceptions; tests only look at `.name`. */
function domError(name: 'InvalidStateError' | 'NotAllowedError', message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

function aaguidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`Invalid AAGUID ${uuid}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** The RP ID defaults to the origin's effective domain when the options omit it (§5.1.3). */
const defaultRpId = (origin: string): string => new URL(origin).hostname;

/**
 * CollectedClientData serialised like browsers do (§5.8.1.1): type, challenge, origin,
 * crossOrigin in that order; topOrigin only when present.
 */
function clientDataJSON(type: string, challenge: string, origin: string, t: CommonTamper): Uint8Array {
  const cd: Record<string, unknown> = {
    type: t.type ?? type,
    // Browsers decode options.challenge and re-encode it as unpadded base64url.
    challenge: t.challenge ?? b64url(fromB64url(challenge)),
    origin: t.origin ?? origin,
    crossOrigin: t.crossOrigin ?? false,
  };
  if (t.topOrigin !== undefined) cd.topOrigin = t.topOrigin;
  return new Uint8Array(Buffer.from(JSON.stringify(cd), 'utf8'));
}

export class SoftwareAuthenticator {
  readonly alg: Alg;
  readonly credentials: StoredCredential[] = [];
  private readonly opts: Required<Omit<AuthenticatorOptions, 'alg'>>;

  constructor(options: AuthenticatorOptions = {}) {
    this.alg = options.alg ?? 'ES256';
    this.opts = {
      aaguid: options.aaguid ?? '00000000-0000-0000-0000-000000000000',
      userVerification: options.userVerification ?? true,
      backupEligible: options.backupEligible ?? false,
      backupState: options.backupState ?? false,
      attestation: options.attestation ?? 'none',
      signCount: options.signCount ?? 'increment',
      freshRsaKey: options.freshRsaKey ?? false,
    };
  }

  /** Flags byte: UP always (we simulate a present user), UV/BE/BS from options, then tamper. */
  private flagsByte(extra: number, t?: Flags): number {
    const f = {
      up: t?.up ?? true,
      uv: t?.uv ?? this.opts.userVerification,
      be: t?.be ?? this.opts.backupEligible,
      bs: t?.bs ?? this.opts.backupState,
    };
    return (f.up ? UP : 0) | (f.uv ? UV : 0) | (f.be ? BE : 0) | (f.bs ? BS : 0) | extra;
  }

  /** rpIdHash(32) | flags(1) | signCount(4, big-endian) — the fixed 37-byte prefix of §6.1. */
  private authDataPrefix(rpId: string, flags: number, counter: number): Uint8Array {
    const out = new Uint8Array(37);
    out.set(sha256(rpId), 0);
    out[32] = flags;
    new DataView(out.buffer).setUint32(33, counter >>> 0, false);
    return out;
  }

  /** navigator.credentials.create() */
  async create(
    options: PublicKeyCredentialCreationOptionsJSON,
    ctx: { origin: string; tamper?: RegistrationTamper },
  ): Promise<RegistrationResponseJSON> {
    const t = ctx.tamper ?? {};
    const rpId = options.rp.id ?? defaultRpId(ctx.origin);

    // §6.3.2 authenticatorMakeCredential step 3: refuse if a listed credential is ours.
    for (const ex of options.excludeCredentials ?? []) {
      if (this.credentials.some((c) => c.rpId === rpId && c.idB64 === ex.id)) {
        throw domError('InvalidStateError', 'An excluded credential is already registered');
      }
    }

    // pubKeyCredParams is deliberately ignored: this.alg is always used so a test can
    // present an algorithm the RP never offered.
    const alg = this.alg;
    const { privateKey, publicKey } = generateKeys(alg, this.opts.freshRsaKey);
    const credId = new Uint8Array(randomBytes(t.credentialIdLength ?? 32));
    const cred: StoredCredential = {
      id: credId,
      idB64: b64url(credId),
      rpId,
      userHandle: options.user.id,
      alg,
      privateKey,
      publicKey,
      counter: 0,
    };

    const authDataCredId =
      typeof t.authDataCredentialId === 'string'
        ? fromB64url(t.authDataCredentialId)
        : (t.authDataCredentialId ?? credId);
    const realCose = coseEncodePublicKey(alg, publicKey);
    const cosePublicKey = t.cosePublicKey ? t.cosePublicKey(realCose) : realCose;
    const credIdLen = new Uint8Array(2);
    new DataView(credIdLen.buffer).setUint16(0, authDataCredId.length, false);
    // §6.1 authData with §6.5.1 attestedCredentialData:
    // aaguid(16) | credentialIdLength(2, big-endian) | credentialId | credentialPublicKey (COSE)
    const authData = concat(
      this.authDataPrefix(t.rpId ?? rpId, this.flagsByte(AT, t.flags), t.counter ?? cred.counter),
      aaguidBytes(this.opts.aaguid),
      credIdLen,
      authDataCredId,
      cosePublicKey,
    );

    const cdj = clientDataJSON('webauthn.create', options.challenge, ctx.origin, t);
    // §8.2 packed *self* attestation: no x5c; alg is the credential's own alg and sig is made
    // with the credential private key over authData || SHA-256(clientDataJSON).
    const attStmt = new Map<string, number | Uint8Array>();
    if (this.opts.attestation === 'packed') {
      attStmt.set('alg', COSE_ALG[alg]);
      attStmt.set('sig', signData(alg, privateKey, concat(authData, sha256(cdj))));
    }
    // §6.5.4: attestationObject = {fmt, attStmt, authData}; this key order is canonical CBOR
    // (shorter keys first), which is what CTAP2 authenticators emit.
    const encoded = new Uint8Array(
      isoCBOR.encode(
        new Map<string, string | Uint8Array | Map<string, number | Uint8Array>>([
          ['fmt', t.fmt ?? this.opts.attestation],
          ['attStmt', attStmt],
          ['authData', authData],
        ]),
      ),
    );
    const attestationObject = t.attestationObjectSuffix ? concat(encoded, t.attestationObjectSuffix) : encoded;

    this.credentials.push(cred);
    return {
      id: t.id ?? cred.idB64,
      rawId: t.rawId ?? cred.idB64,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(cdj),
        attestationObject: b64url(attestationObject),
        // Sorted, as browsers report them (getTransports() returns them in lexicographic order).
        transports: t.transports ?? ['hybrid', 'internal'],
        // L3 convenience fields (getPublicKeyAlgorithm/getAuthenticatorData/getPublicKey).
        publicKeyAlgorithm: COSE_ALG[alg],
        authenticatorData: b64url(authData),
        publicKey: b64url(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }))),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get() */
  async get(
    options: PublicKeyCredentialRequestOptionsJSON,
    ctx: { origin: string; credentialId?: string; tamper?: AssertionTamper },
  ): Promise<AuthenticationResponseJSON> {
    const t = ctx.tamper ?? {};
    const rpId = options.rpId ?? defaultRpId(ctx.origin);
    const cred = this.pick(rpId, options.allowCredentials ?? [], ctx.credentialId);
    if (!cred) throw domError('NotAllowedError', `No credential available for ${rpId}`);

    if (t.counter === undefined && this.opts.signCount === 'increment') cred.counter += 1;
    const counter = t.counter ?? cred.counter;

    // §6.1: assertions carry only the 37-byte prefix (AT clear, no attested credential data).
    const authData = this.authDataPrefix(t.rpId ?? rpId, this.flagsByte(0, t.flags), counter);
    const cdj = clientDataJSON('webauthn.get', options.challenge, ctx.origin, t);
    // §6.3.3 step 11: sign authenticatorData || clientDataHash.
    const signature = signData(cred.alg, cred.privateKey, concat(authData, sha256(cdj)));
    if (t.corruptSignature) {
      // Flip the last byte: for DER ECDSA it lies inside INTEGER s, so the encoding stays
      // well-formed and only the cryptographic check can fail.
      const last = signature.length - 1;
      signature[last] = (signature[last] ?? 0) ^ 0x01;
    }

    const signed = t.signatureSuffix ? concat(signature, t.signatureSuffix) : signature;
    const userHandle = t.userHandle === undefined ? cred.userHandle : t.userHandle;
    return {
      id: t.id ?? cred.idB64,
      rawId: t.rawId ?? cred.idB64,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(cdj),
        authenticatorData: b64url(authData),
        signature: b64url(signed),
        ...(userHandle === null ? {} : { userHandle }),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * Credential selection: an explicit ctx.credentialId wins (any RP, so tests can misuse one);
   * else the first allowCredentials entry we hold for this RP; else (discoverable flow) the
   * most recently created credential for this RP.
   */
  private pick(
    rpId: string,
    allow: { id: string }[],
    forced?: string,
  ): StoredCredential | undefined {
    if (forced !== undefined) return this.credentials.find((c) => c.idB64 === forced);
    const mine = this.credentials.filter((c) => c.rpId === rpId);
    if (allow.length > 0) {
      for (const a of allow) {
        const hit = mine.find((c) => c.idB64 === a.id);
        if (hit) return hit;
      }
      return undefined;
    }
    return mine.at(-1);
  }
}

/** The server receives the credential as a JSON string in a form field. */
export function publicKeyCredentialToFormValue(
  resp: RegistrationResponseJSON | AuthenticationResponseJSON,
): string {
  return JSON.stringify(resp);
}

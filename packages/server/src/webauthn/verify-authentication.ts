/**
 * Authentication (§7.2), done here rather than by @simplewebauthn/server: sign-in is the hot path
 * and the library re-imports the public key into WebCrypto on every call (see public-keys.ts).
 * This checks everything the library's verifyAuthenticationResponse checked — credential type,
 * clientData type, challenge and tokenBinding, rpIdHash, UP, UV, the authenticator data's layout
 * and the signature — plus the rules the library leaves to the relying party: which credential,
 * whose user handle, allowed origins, no cross-origin use, the sign counter and the backup flags.
 * verify-authentication.diff.test.ts compares it with the library over hundreds of assertions.
 * The caller persists the result only if this returns.
 */
import { createHash } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { DomainPolicy } from '../domains/index.js';
import { CeremonyRejected, checkClientData, parseClientData } from './client-data.js';
import { verifyAssertionSignature } from './public-keys.js';

export interface StoredCredential {
  credentialId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  backupEligible: boolean;
  /** The owner's WebAuthn user handle (base64url). */
  userHandle: string;
}

export interface VerifiedAssertion {
  newCounter: number;
  backupState: boolean;
  userVerified: boolean;
}

/** A possible cloned authenticator (§6.1.1): callers record it before refusing. */
export class CounterRegression extends CeremonyRejected {
  constructor(
    readonly stored: number,
    readonly received: number,
  ) {
    super(`signature counter went from ${stored} to ${received}; the authenticator may be cloned`);
  }
}

// Authenticator data flags (§6.1).
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;
const ED = 0x80;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decode(field: string, value: unknown): Buffer {
  if (typeof value !== 'string' || !BASE64URL.test(value)) throw new CeremonyRejected(`response.${field} is not base64url`);
  return Buffer.from(value, 'base64url');
}

let rpIdHash: { rpId: string; hash: Buffer } | undefined;
function rpIdHashOf(rpId: string): Buffer {
  // Byte per UTF-16 unit, as the library hashed it; RP IDs are ASCII (punycode) anyway.
  if (rpIdHash?.rpId !== rpId) rpIdHash = { rpId, hash: createHash('sha256').update(Buffer.from(rpId, 'latin1')).digest() };
  return rpIdHash.hash;
}

/** rpIdHash(32) ‖ flags(1) ‖ signCount(4) ‖ [attestedCredentialData] ‖ [extensions] (§6.1). */
function readAuthenticatorData(authData: Buffer): { flags: number; counter: number } {
  if (authData.length < 37) throw new CeremonyRejected(`authenticatorData is ${authData.length} bytes; at least 37 are required`);
  const flags = authData[32]!;
  if ((flags & (AT | ED)) === 0) {
    // An assertion's usual authenticator data is the 37-byte prefix and nothing else.
    if (authData.length !== 37) throw new CeremonyRejected('authenticatorData has bytes after the sign counter');
  } else {
    // CBOR follows (rare in assertions). The library's parser decides what is well formed, as
    // before: it also refuses leftover bytes. It may patch a byte in place, so it gets a copy.
    try {
      parseAuthenticatorData(new Uint8Array(authData));
    } catch (err) {
      throw new CeremonyRejected(`authenticatorData could not be parsed: ${(err as Error).message}`);
    }
  }
  return { flags, counter: authData.readUInt32BE(33) };
}

export async function verifyAuthentication(o: {
  response: AuthenticationResponseJSON;
  credential: StoredCredential;
  expectedChallenge: string;
  policy: DomainPolicy;
  requireUserVerification: boolean;
  /** Discoverable flow: the user handle must be present (§7.2 step 6). */
  requireUserHandle: boolean;
}): Promise<VerifiedAssertion> {
  const { response, credential } = o;
  if (response.type !== 'public-key') throw new CeremonyRejected(`credential type is "${String(response.type)}", expected "public-key"`);
  if (response.id !== response.rawId) throw new CeremonyRejected('id and rawId differ');
  // The caller looked the credential up by rawId; its key is only good for that credential.
  if (response.rawId !== credential.credentialId) throw new CeremonyRejected('the response is for another credential');

  // §7.2 step 6: the user handle, when given, must be the credential owner's; in the
  // discoverable flow it is how the user was identified, so it must be given.
  const userHandle = response.response.userHandle;
  if (userHandle == null || userHandle === '') {
    if (o.requireUserHandle) throw new CeremonyRejected('userHandle is required in a discoverable sign-in');
  } else if (userHandle !== credential.userHandle) {
    throw new CeremonyRejected('userHandle does not belong to the owner of the credential');
  }

  // §7.2 steps 10–15: type, origin, no cross-origin use, then the challenge.
  const clientDataJSON = decode('clientDataJSON', response.response.clientDataJSON);
  const clientData = parseClientData(clientDataJSON);
  checkClientData(clientData, { type: 'webauthn.get', policy: o.policy });
  if (clientData.challenge !== o.expectedChallenge) throw new CeremonyRejected('clientData.challenge is not the challenge issued');
  // Token binding (WebAuthn L2): when present it must be an object with a known status.
  const tokenBinding = (clientData as { tokenBinding?: unknown }).tokenBinding;
  if (tokenBinding) {
    const status = typeof tokenBinding === 'object' ? (tokenBinding as { status?: unknown }).status : undefined;
    if (status !== 'present' && status !== 'supported' && status !== 'notSupported') {
      throw new CeremonyRejected('clientData.tokenBinding is malformed');
    }
  }

  const authData = decode('authenticatorData', response.response.authenticatorData);
  const signature = decode('signature', response.response.signature);
  const { flags, counter } = readAuthenticatorData(authData);
  // §7.2 steps 15–17: the RP ID, user presence, and user verification when we require it.
  if (!authData.subarray(0, 32).equals(rpIdHashOf(o.policy.rpId))) throw new CeremonyRejected('rpIdHash is not the hash of our RP ID');
  if (!(flags & UP)) throw new CeremonyRejected('the user was not present (UP is not set)');
  if (o.requireUserVerification && !(flags & UV)) throw new CeremonyRejected('user verification is required (UV is not set)');
  if ((flags & BS) && !(flags & BE)) throw new CeremonyRejected('backup state set without backup eligibility');

  // §7.2 steps 19–21: the signature over authenticatorData ‖ SHA-256(clientDataJSON).
  const data = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]);
  let good: boolean;
  try {
    good = await verifyAssertionSignature({ credentialId: credential.credentialId, publicKey: credential.publicKey, data, signature });
  } catch (err) {
    throw new CeremonyRejected((err as Error).message);
  }
  if (!good) throw new CeremonyRejected('the signature did not verify');

  // BE is fixed for a credential's lifetime (§6.1.3); a change means a different authenticator.
  // Checked only after the signature: before it, the answer would tell a caller holding no key
  // the stored flag of any credential id they name — and a decoy's (webauthn/decoys.ts) from a real one's.
  if (Boolean(flags & BE) !== credential.backupEligible) throw new CeremonyRejected('backup eligibility changed since registration');

  // §7.2 step 22: if either counter is non-zero, the new one must be greater. Checked only now
  // that the signature is good, so a forged response cannot raise a clone alarm.
  if ((counter !== 0 || credential.counter !== 0) && counter <= credential.counter) {
    throw new CounterRegression(credential.counter, counter);
  }
  return { newCounter: counter, backupState: Boolean(flags & BS), userVerified: Boolean(flags & UV) };
}

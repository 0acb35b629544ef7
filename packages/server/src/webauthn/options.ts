/**
 * Ceremony options we send to browsers. What we require (resident key, UV, algorithms) is our
 * policy and is spelled out here rather than inherited from a library's defaults.
 */
import { randomBase64url } from '../util/random.js';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';

/** EdDSA, ES256, RS256 — the COSE algorithms we offer and therefore accept (§5.4.1). */
export const SUPPORTED_ALGORITHMS = [-8, -7, -257] as const;

export const CEREMONY_TIMEOUT_MS = 5 * 60 * 1000;

/** 32 bytes from the CSPRNG; WebAuthn asks for at least 16 (§13.4.3). */
export function newChallenge(): string {
  return randomBase64url(32);
}

export interface StoredDescriptor {
  credential_id: string;
  transports: string;
}

export function toDescriptors(rows: StoredDescriptor[]): PublicKeyCredentialDescriptorJSON[] {
  return rows.map((r) => ({
    id: r.credential_id,
    type: 'public-key' as const,
    // Sorted, as browsers report them and as decoys list them (webauthn/decoys.ts).
    transports: (JSON.parse(r.transports) as string[]).slice().sort() as PublicKeyCredentialDescriptorJSON['transports'],
  }));
}

export function creationOptions(o: {
  challenge: string;
  rpId: string;
  rpName: string;
  userHandle: string;
  userName: string;
  userDisplayName: string;
  exclude: PublicKeyCredentialDescriptorJSON[];
  userVerification: 'required' | 'preferred';
}): PublicKeyCredentialCreationOptionsJSON {
  return {
    challenge: o.challenge,
    rp: { id: o.rpId, name: o.rpName },
    user: { id: o.userHandle, name: o.userName, displayName: o.userDisplayName },
    pubKeyCredParams: SUPPORTED_ALGORITHMS.map((alg) => ({ type: 'public-key' as const, alg })),
    timeout: CEREMONY_TIMEOUT_MS,
    attestation: 'none',
    // Stops a second passkey for this account on an authenticator that already holds one.
    excludeCredentials: o.exclude,
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: o.userVerification },
    extensions: { credProps: true },
  };
}

export function requestOptions(o: {
  challenge: string;
  rpId: string;
  allow: PublicKeyCredentialDescriptorJSON[];
  userVerification: 'required' | 'preferred';
}): PublicKeyCredentialRequestOptionsJSON {
  return {
    challenge: o.challenge,
    rpId: o.rpId,
    allowCredentials: o.allow,
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification: o.userVerification,
  };
}

/**
 * Registration (§7.1): @simplewebauthn/server checks type, challenge, rpIdHash, UP, UV, the
 * algorithm and the attestation statement; this function adds the relying-party rules the library
 * leaves open and returns only what we store.
 */
import { type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import { decodeAttestationObject, decodeCredentialPublicKey, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { DomainPolicy } from '../domains/index.js';
import { CeremonyRejected, checkClientData, decodeClientData } from './client-data.js';
import { cborItemLength } from './cbor-length.js';
import { checkCredentialPublicKey } from './check-public-key.js';
import { SUPPORTED_ALGORITHMS } from './options.js';

/** §5.8.3: a credential id longer than 1023 bytes must be refused. */
export const MAX_CREDENTIAL_ID_BYTES = 1023;

export interface VerifiedRegistration {
  credentialId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  alg: number;
  counter: number;
  transports: string[];
  aaguid: string;
  backupEligible: boolean;
  backupState: boolean;
  origin: string;
}

export async function verifyRegistration(o: {
  response: RegistrationResponseJSON;
  expectedChallenge: string;
  policy: DomainPolicy;
  /**
   * §7.1 step 14: UP must be set unless the registration was conditional (`mediation:
   * 'conditional'`), where the client asks the authenticator for neither UP nor UV (§5.1.3).
   */
  requireUserPresence: boolean;
  requireUserVerification: boolean;
}): Promise<VerifiedRegistration> {
  const { response } = o;
  if (response.id !== response.rawId) throw new CeremonyRejected('id and rawId differ');
  const rawId = Buffer.from(response.rawId, 'base64url');
  if (rawId.length > MAX_CREDENTIAL_ID_BYTES) {
    throw new CeremonyRejected(`credential id is ${rawId.length} bytes; at most ${MAX_CREDENTIAL_ID_BYTES} are allowed`);
  }

  const clientData = decodeClientData(response.response.clientDataJSON);
  checkClientData(clientData, { type: 'webauthn.create', policy: o.policy });

  let flags: { be: boolean; bs: boolean };
  try {
    const attestationObject = Buffer.from(response.response.attestationObject, 'base64url');
    // Exactly one CBOR item (§6.5.4): the decoder would ignore bytes after the map.
    if (cborItemLength(attestationObject) !== attestationObject.length) {
      throw new CeremonyRejected('attestationObject has bytes after its CBOR map');
    }
    const authData = decodeAttestationObject(attestationObject).get('authData');
    const parsed = parseAuthenticatorData(authData);
    flags = parsed.flags;
    // §7.1 step 20 reads the credential id from authData; it must be the one the client reported,
    // otherwise we would store a public key under a credential id the authenticator never made.
    if (!parsed.credentialID || !Buffer.from(parsed.credentialID).equals(rawId)) {
      throw new CeremonyRejected('the credential id in authenticator data differs from rawId');
    }
  } catch (err) {
    if (err instanceof CeremonyRejected) throw err;
    throw new CeremonyRejected(`attestationObject could not be parsed: ${(err as Error).message}`);
  }
  // A credential cannot be backed up without being backup eligible (§6.1.3).
  if (flags.bs && !flags.be) throw new CeremonyRejected('backup state set without backup eligibility');

  let result;
  try {
    result = await verifyRegistrationResponse({
      response,
      expectedChallenge: o.expectedChallenge,
      // Already matched against our pattern allowlist above; the library wants a concrete list.
      expectedOrigin: clientData.origin,
      expectedRPID: o.policy.rpId,
      requireUserPresence: o.requireUserPresence,
      requireUserVerification: o.requireUserVerification,
      supportedAlgorithmIDs: [...SUPPORTED_ALGORITHMS],
    });
  } catch (err) {
    throw new CeremonyRejected((err as Error).message);
  }
  if (!result.verified) throw new CeremonyRejected('the attestation statement did not verify');
  const info = result.registrationInfo;
  // The key must import and verify as sign-in will use it (check-public-key.ts).
  checkCredentialPublicKey(info.credential.publicKey);
  const alg = publicKeyAlg(info.credential.publicKey);
  return {
    credentialId: info.credential.id,
    publicKey: info.credential.publicKey,
    alg,
    counter: info.credential.counter,
    transports: (info.credential.transports ?? []).filter((t) => typeof t === 'string'),
    aaguid: info.aaguid,
    backupEligible: flags.be,
    backupState: info.credentialBackedUp,
    origin: clientData.origin,
  };
}

function publicKeyAlg(cose: Uint8Array<ArrayBuffer>): number {
  // COSE key parameter 3 is `alg`; the library has already required it to be one we offered.
  const key = decodeCredentialPublicKey(cose) as unknown as Map<number, unknown>;
  return Number(key.get(3));
}

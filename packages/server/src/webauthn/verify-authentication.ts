/**
 * Authentication (§7.2): the library checks type, challenge, rpIdHash, UP, UV and the signature;
 * here are the rules it leaves to the relying party — which credential, whose user handle, the
 * sign counter and the backup flags. The caller persists the result only if this returns.
 */
import { type AuthenticationResponseJSON, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { DomainPolicy } from '../domains/index.js';
import { CeremonyRejected, checkClientData, decodeClientData } from './client-data.js';

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
  if (response.id !== response.rawId) throw new CeremonyRejected('id and rawId differ');

  // §7.2 step 6: the user handle, when given, must be the credential owner's; in the
  // discoverable flow it is how the user was identified, so it must be given.
  const userHandle = response.response.userHandle;
  if (userHandle == null || userHandle === '') {
    if (o.requireUserHandle) throw new CeremonyRejected('userHandle is required in a discoverable sign-in');
  } else if (userHandle !== credential.userHandle) {
    throw new CeremonyRejected('userHandle does not belong to the owner of the credential');
  }

  const clientData = decodeClientData(response.response.clientDataJSON);
  checkClientData(clientData, { type: 'webauthn.get', policy: o.policy });

  let flags: { be: boolean; bs: boolean };
  try {
    flags = parseAuthenticatorData(Buffer.from(response.response.authenticatorData, 'base64url')).flags;
  } catch (err) {
    throw new CeremonyRejected(`authenticatorData could not be parsed: ${(err as Error).message}`);
  }
  if (flags.bs && !flags.be) throw new CeremonyRejected('backup state set without backup eligibility');
  // BE is fixed for a credential's lifetime (§6.1.3); a change means a different authenticator.
  if (flags.be !== credential.backupEligible) throw new CeremonyRejected('backup eligibility changed since registration');

  let result;
  try {
    result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: o.expectedChallenge,
      expectedOrigin: clientData.origin,
      expectedRPID: o.policy.rpId,
      // Counter 0 switches the library's own counter rule off: ours below runs after the
      // signature is known to be good, so a forged response cannot raise a clone alarm.
      credential: { id: credential.credentialId, publicKey: credential.publicKey, counter: 0 },
      requireUserVerification: o.requireUserVerification,
    });
  } catch (err) {
    throw new CeremonyRejected((err as Error).message);
  }
  if (!result.verified) throw new CeremonyRejected('the signature did not verify');

  const received = result.authenticationInfo.newCounter;
  // §7.2 step 22: if either counter is non-zero, the new one must be greater.
  if ((received !== 0 || credential.counter !== 0) && received <= credential.counter) {
    throw new CounterRegression(credential.counter, received);
  }
  return { newCounter: received, backupState: flags.bs, userVerified: result.authenticationInfo.userVerified };
}

/**
 * What both registration paths (passkey-first sign-up, adding a passkey when signed in) share:
 * verifying the attestation against its challenge, and storing the new credential.
 */
import { type AuditContext, audit } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { policyFor } from '../domains/index.js';
import { fail } from '../errors/index.js';
import type { InstanceSettings } from '../settings/index.js';
import * as passkeys from '../store/passkeys.js';
import type { PasskeyRow } from '../store/schema.js';
import type { Db } from '../store/types.js';
import * as users from '../store/users.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { newId } from '../util/ids.js';
import { parseRegistrationCredential } from '../webauthn/credential-json.js';
import { CeremonyRejected } from '../webauthn/errors.js';
import { distinctPasskeyName } from '../webauthn/distinct-name.js';
import { defaultPasskeyName, nameFromUserAgent, providerFromAaguid } from '../webauthn/naming.js';
import { type VerifiedRegistration, verifyRegistration } from '../webauthn/verify-registration.js';
import { emitPasskeyCreated } from '../webhooks/events.js';
import { ceremonyFailure } from './ceremony-failure.js';

export type Attestation = { verified: VerifiedRegistration } | { error: unknown };

/**
 * Parses and verifies an attestation against `challenge`. A failure is recorded in `db` (the
 * flow's transaction, which commits it with the spent challenge) and returned as the answer.
 */
export async function verifyAttestation(
  deps: Deps,
  db: Db,
  o: {
    settings: InstanceSettings;
    challenge: string;
    credential: unknown;
    clientId: string;
    userId: string | null;
    now: number;
    ctx: AuditContext;
    /** The registration was started as conditional (an automatic upgrade, `passkeys/flows.ts`). */
    conditional?: boolean;
  },
): Promise<Attestation> {
  try {
    const response = parseRegistrationCredential(o.credential);
    const verified = await verifyRegistration({
      response,
      expectedChallenge: o.challenge,
      policy: policyFor(o.settings, deps.config.mode),
      // A conditional create asks the authenticator for neither presence nor verification
      // (WebAuthn §5.1.3), so its credential may carry UP=0 and UV=0. Accepting that here does not
      // lower the bar for getting in: the acting session already proved who adds the passkey, the
      // attestation is "none" (UP and UV at registration are the client's unverifiable word
      // anyway), and every sign-in with the passkey still needs UV when the setting requires it.
      // Ordinary registrations keep both checks.
      requireUserPresence: !o.conditional,
      requireUserVerification: o.settings.userVerification === 'required' && !o.conditional,
    });
    // A credential id already registered to anyone is refused: a captured attestation must not be
    // re-bound to another account. The unique index enforces it again at insert.
    if (await passkeys.isCredentialRegistered(db, verified.credentialId)) throw new CeremonyRejected('this credential is already registered');
    return { verified };
  } catch (err) {
    return { error: await ceremonyFailure(db, err, { ceremony: 'registration', now: o.now, clientId: o.clientId, userId: o.userId, ctx: o.ctx }) };
  }
}

export async function insertPasskey(
  db: Db,
  o: {
    id?: string;
    userId: string;
    verified: VerifiedRegistration;
    userAgent: string | undefined;
    now: number;
    clientId: string;
    ctx: AuditContext;
    conditional?: boolean;
  },
): Promise<PasskeyRow> {
  const v = o.verified;
  const row: PasskeyRow = {
    id: o.id ?? newId('pk'),
    user_id: o.userId,
    credential_id: v.credentialId,
    public_key: v.publicKey,
    alg: v.alg,
    counter: v.counter,
    transports: JSON.stringify(v.transports),
    aaguid: v.aaguid,
    backup_eligible: v.backupEligible ? 1 : 0,
    backup_state: v.backupState ? 1 : 0,
    name: distinctPasskeyName(defaultPasskeyName(v.aaguid, o.userAgent), await passkeys.namesOfUser(db, o.userId)),
    provider_name: providerFromAaguid(v.aaguid) ?? nameFromUserAgent(o.userAgent),
    last_used_at: null,
    created_at: o.now,
    updated_at: o.now,
  };
  try {
    await passkeys.insert(db, row);
  } catch (err) {
    if (isUniqueViolation(err)) throw fail('passkey_registration_failure', { why: 'Passkey registration failed: this credential is already registered.' });
    throw err;
  }
  await users.lockForChange(db, o.userId, o.now);
  await audit(db, o.now, 'passkey.created', { userId: o.userId, clientId: o.clientId, data: { passkey_id: row.id, aaguid: v.aaguid, ...(o.conditional ? { conditional: true } : {}) }, ctx: o.ctx });
  await emitPasskeyCreated(db, o.now, row);
  return row;
}

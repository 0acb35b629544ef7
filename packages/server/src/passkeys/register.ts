/**
 * What both registration paths (passkey-first sign-up, adding a passkey when signed in) share:
 * verifying the attestation against its challenge, and storing the new credential.
 */
import type { Transaction } from 'kysely';
import { policyFor } from '../domains/index.js';
import type { Deps } from '../deps.js';
import { LatchkeyError } from '../errors/index.js';
import type { InstanceSettings } from '../settings/index.js';
import type { ChallengeRow, Database, PasskeyRow } from '../store/schema.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { newId } from '../util/ids.js';
import { audit } from '../audit/index.js';
import { parseRegistrationCredential } from '../webauthn/credential-json.js';
import { CeremonyRejected } from '../webauthn/client-data.js';
import { ceremonyFailure } from '../webauthn/failure.js';
import { defaultPasskeyName, providerFromAaguid, nameFromUserAgent } from '../webauthn/naming.js';
import { type VerifiedRegistration, verifyRegistration } from '../webauthn/verify-registration.js';

export async function verifyAttestation(
  deps: Deps,
  o: { settings: InstanceSettings; challenge: ChallengeRow; credential: unknown; clientId: string; userId: string | null; now: number; onFail: () => Promise<void> },
): Promise<VerifiedRegistration> {
  try {
    const response = parseRegistrationCredential(o.credential);
    const verified = await verifyRegistration({
      response,
      expectedChallenge: o.challenge.challenge,
      policy: policyFor(o.settings, deps.config.mode),
      requireUserVerification: o.settings.userVerification === 'required',
    });
    // A credential id already registered to anyone is refused: a captured attestation must not be
    // re-bound to another account. The unique index enforces it again inside the transaction.
    const taken = await deps.store.db.selectFrom('passkeys').select('id').where('credential_id', '=', verified.credentialId).executeTakeFirst();
    if (taken) throw new CeremonyRejected('this credential is already registered');
    return verified;
  } catch (err) {
    await o.onFail();
    return ceremonyFailure(deps.store.db, err, { ceremony: 'registration', now: o.now, clientId: o.clientId, userId: o.userId });
  }
}

export async function insertPasskey(
  trx: Transaction<Database>,
  o: { id?: string; userId: string; verified: VerifiedRegistration; userAgent: string | undefined; now: number; clientId: string },
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
    name: defaultPasskeyName(v.aaguid, o.userAgent),
    provider_name: providerFromAaguid(v.aaguid) ?? nameFromUserAgent(o.userAgent),
    last_used_at: null,
    created_at: o.now,
    updated_at: o.now,
  };
  try {
    await trx.insertInto('passkeys').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new LatchkeyError('passkey_registration_failure', 400, 'Passkey registration failed.', 'Passkey registration failed: this credential is already registered.');
    }
    throw err;
  }
  await trx.updateTable('users').set({ updated_at: o.now }).where('id', '=', o.userId).execute();
  await audit(trx, o.now, 'passkey.created', { userId: o.userId, clientId: o.clientId, data: { passkey_id: row.id, aaguid: v.aaguid } });
  return row;
}

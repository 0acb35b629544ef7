/**
 * What a failed WebAuthn ceremony becomes: a malformed credential is the caller's input error
 * (422, nothing recorded); a rejected one is recorded in the audit log — with the reason, and a
 * possible clone as its own event type — and answered with the ceremony's failure code, whose
 * message names the rule so a developer can fix their integration (it reveals nothing an attacker
 * did not send). Anything else is unexpected and passes through.
 */
import { type AuditContext, audit } from '../audit/index.js';
import { fail, LatchkeyError } from '../errors/index.js';
import type { Db } from '../store/types.js';
import { CeremonyRejected, CredentialParseError } from '../webauthn/errors.js';
import { CounterRegression } from '../webauthn/verify-authentication.js';

export type Ceremony = 'registration' | 'authentication';

/** The answer for a ceremony error, after recording it in `db` (the flow's transaction). */
export async function ceremonyFailure(
  db: Db,
  err: unknown,
  o: { ceremony: Ceremony; now: number; clientId: string; userId?: string | null; passkeyId?: string; ctx?: AuditContext },
): Promise<unknown> {
  if (err instanceof CredentialParseError) return fail('passkey_invalid_public_key_credential', { param: 'public_key_credential', why: err.message });
  if (!(err instanceof CeremonyRejected)) return err;
  const type = err instanceof CounterRegression ? 'passkey.counter_regression' : 'passkey.verification_failed';
  await audit(db, o.now, type, {
    clientId: o.clientId,
    userId: o.userId ?? null,
    data: { ceremony: o.ceremony, reason: err.message, passkey_id: o.passkeyId ?? null },
    ctx: o.ctx,
  });
  return rejection(o.ceremony, err.message);
}

export function rejection(ceremony: Ceremony, reason: string): LatchkeyError {
  return ceremony === 'registration'
    ? fail('passkey_registration_failure', { why: `Passkey registration failed: ${reason}.` })
    : fail('passkey_authentication_failure', { why: `Passkey verification failed: ${reason}.` });
}

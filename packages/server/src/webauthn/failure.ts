/**
 * Turns a rejected ceremony into the API error, after recording it. The message names what was
 * wrong so a developer can fix their integration; it reveals nothing an attacker did not send.
 */
import type { Kysely } from 'kysely';
import { audit } from '../audit/index.js';
import { LatchkeyError } from '../errors/index.js';
import type { Database } from '../store/schema.js';
import { CeremonyRejected } from './client-data.js';
import { CounterRegression } from './verify-authentication.js';

export async function ceremonyFailure(
  db: Kysely<Database>,
  err: unknown,
  o: { ceremony: 'registration' | 'authentication'; now: number; clientId: string; userId?: string | null; passkeyId?: string },
): Promise<never> {
  // Malformed input (422) and infrastructure errors pass through unchanged.
  if (!(err instanceof CeremonyRejected)) throw err;
  const type = err instanceof CounterRegression ? 'passkey.counter_regression' : 'passkey.verification_failed';
  await audit(db, o.now, type, {
    clientId: o.clientId,
    userId: o.userId ?? null,
    data: { ceremony: o.ceremony, reason: err.message, passkey_id: o.passkeyId ?? null },
  });
  throw o.ceremony === 'registration'
    ? new LatchkeyError('passkey_registration_failure', 400, 'Passkey registration failed.', `Passkey registration failed: ${err.message}.`)
    : new LatchkeyError('passkey_authentication_failure', 400, 'Passkey verification failed.', `Passkey verification failed: ${err.message}.`);
}

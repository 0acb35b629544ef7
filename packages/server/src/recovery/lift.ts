/**
 * The end of a recovery: a limited session (signed in with a recovery code) that has registered a
 * new passkey becomes a normal session, and the owner is told that a recovery code was used.
 * Called by passkeys/flows.finishPasskeyRegistration inside its transaction.
 */
import { audit, type AuditContext } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { enqueueEmail } from '../email/outbox.js';
import * as identifiers from '../store/identifiers.js';
import type { SessionRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import type { Db } from '../store/types.js';

export async function liftRecoveryLimit(deps: Deps, db: Db, session: SessionRow, passkeyId: string, now: number, ctx: AuditContext): Promise<SessionRow> {
  if (!session.limited) return session;
  await sessions.setLimited(db, session.id, 0, now);
  await audit(db, now, 'session.recovery_lifted', { userId: session.user_id, clientId: session.client_id, data: { session_id: session.id, passkey_id: passkeyId }, ctx });
  await noticeRecoveryUsed(deps, db, session.user_id, now);
  return { ...session, limited: 0, updated_at: now };
}

/**
 * SECURITY NOTICE "recovery used" (issue 13, item 5). Written to the outbox in the caller's
 * transaction, to each verified address of the user, so it is sent exactly when the recovery
 * finished and survives a crash. If a shared notices module lands (branch email-signin), route
 * this call through it; this is the one call site.
 */
export async function noticeRecoveryUsed(deps: Deps, db: Db, userId: string, now: number): Promise<void> {
  const verified = (await identifiers.ofUser(db, userId)).filter((i) => i.type === 'email_address' && i.verified_at !== null);
  for (const address of verified) {
    await enqueueEmail(db, now, deps.email.secret, address.value, { template: 'recovery_used', portalUrl: `${deps.config.publicUrl}/user` });
  }
}

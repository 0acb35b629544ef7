/**
 * The end of a recovery: a limited session (signed in with a recovery code) that has registered a
 * new passkey becomes a normal session, and the owner is told that a recovery code was used.
 * Called by passkeys/flows.finishPasskeyRegistration inside its transaction.
 */
import { audit, type AuditContext } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { recoveryUsed } from '../email/notices.js';
import type { SessionRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import type { Db } from '../store/types.js';

export async function liftRecoveryLimit(deps: Deps, db: Db, session: SessionRow, passkeyId: string, now: number, ctx: AuditContext): Promise<SessionRow> {
  if (!session.limited) return session;
  await sessions.setLimited(db, session.id, 0, now);
  await audit(db, now, 'session.recovery_lifted', { userId: session.user_id, clientId: session.client_id, data: { session_id: session.id, passkey_id: passkeyId }, ctx });
  await recoveryUsed(deps, db, { userId: session.user_id, now, method: 'a recovery code' });
  return { ...session, limited: 0, updated_at: now };
}

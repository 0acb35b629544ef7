/**
 * The signed-in user deletes their account (`DELETE /v1/me`). One transaction: every browser that
 * had one of the user's sessions as its active one forgets it, then the user row goes, and its
 * identifiers, passkeys and sessions with it (ON DELETE CASCADE). Session tokens already minted
 * stay valid until they expire (60 s by default): app servers verify them offline.
 */
import { audit } from '../audit/index.js';
import { asActingSession } from '../clients/acting-session.js';
import type { Caller } from '../clients/index.js';
import type { Answer } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import * as clients from '../store/clients.js';
import * as sessions from '../store/sessions.js';
import * as users from '../store/users.js';

export async function deleteAccount(deps: Deps, caller: Caller, sessionId: string | undefined): Promise<Answer<{ id: string }>> {
  const settings = await deps.settings.get();
  return asActingSession(deps, caller, sessionId, settings, async (trx, session, now) => {
    const userId = session.user_id;
    await users.lockForChange(trx, userId, now); // no passkey or profile change interleaves
    const ids = (await sessions.activeOfUser(trx, userId)).map((s) => s.id);
    await clients.forgetActiveSessions(trx, ids, now);
    await users.remove(trx, userId);
    await audit(trx, now, 'user.deleted', { userId, clientId: session.client_id, data: { sessions_ended: ids.length } });
    return { id: userId };
  });
}

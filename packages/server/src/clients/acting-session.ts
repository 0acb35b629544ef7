/**
 * The `/v1/me` calls act as one session of the browser: `_clerk_session_id`, else the client's
 * last active one. Shared by every flow behind those calls (passkeys, profile, devices, account).
 */
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import { requireLiveSession } from '../sessions/sessions.js';
import type { InstanceSettings } from '../settings/index.js';
import type { SessionRow } from '../store/schema.js';
import type { Db } from '../store/types.js';
import { type Caller, requireClient } from './index.js';
import { type Answer, finish, readSnapshot } from './snapshot.js';

/**
 * Runs `work` in one transaction as the session acting in a `/v1/me` call (`_clerk_session_id`,
 * else the client's last active one), then reads the client's snapshot in the same transaction.
 *
 * A session signed in with a recovery code (`limited`) is refused with `session_recovery_limited`
 * unless the call passes `allowLimited` (reading the profile, registering a passkey): it must add
 * a passkey before it may do anything else (docs/recovery.md).
 */
export async function asActingSession<R>(
  deps: Deps,
  caller: Caller,
  sessionId: string | undefined,
  settings: InstanceSettings,
  work: (trx: Db, session: SessionRow, now: number) => Promise<R>,
  o: { allowLimited?: boolean } = {},
): Promise<Answer<R>> {
  const client = requireClient(caller);
  const acting = sessionId || client.last_active_session_id;
  if (!acting) throw fail('signed_out');
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const session = await requireLiveSession(trx, { clientId: client.id, sessionId: acting, now, lifetimes: settings });
    if (session.limited && !o.allowLimited) throw fail('session_recovery_limited');
    const result = await work(trx, session, now);
    return { result, rows: await readSnapshot(trx, { clientId: client.id, settings, now }) };
  });
  return finish(deps, caller.azp, done, settings, now);
}


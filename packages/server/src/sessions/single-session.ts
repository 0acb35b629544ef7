/**
 * Single-session mode (the default, as on Clerk): a browser holds at most one signed-in account.
 * A sign-in or sign-up started while the browser has a live session is refused with
 * `session_exists`, so a second account cannot slip in beside the first — the user signs out
 * first, and sign-out ends every session of the browser. `multiSession` lifts the rule.
 */
import { fail } from '../errors/index.js';
import type { InstanceSettings } from '../settings/index.js';
import type { Db } from '../store/types.js';
import { liveSessionsOfClient } from './sessions.js';

/**
 * Throws `session_exists` when single-session mode is on and the client has a live session.
 * Returns true when it looked and found none, so the caller knows the client has no live
 * sessions (and need not read them again); false when it did not look (multi-session mode, or a
 * browser without a client yet, which has no sessions).
 */
export async function refuseSecondSession(db: Db, o: { clientId: string | null; now: number; settings: InstanceSettings }): Promise<boolean> {
  if (o.settings.multiSession || !o.clientId) return false;
  if ((await liveSessionsOfClient(db, o.clientId, o.now, o.settings)).length > 0) throw fail('session_exists');
  return true;
}

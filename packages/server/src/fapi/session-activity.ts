import type { LiveSession } from '../clients/snapshot.js';

/**
 * A session in the "active devices" list (Clerk's `SessionWithActivities`). No user and no token:
 * the list shows sessions of other browsers, whose tokens must never reach this one.
 * `latest_activity` is null: Latchkey does not record where a session was used.
 */
export function sessionActivityJson(s: LiveSession) {
  return {
    object: 'session',
    id: s.id,
    status: s.status,
    expire_at: s.expire_at,
    abandon_at: s.abandon_at,
    last_active_at: s.last_active_at,
    latest_activity: null,
    actor: null,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

/** The browser's client as a whole: read it, create it, sign out of every session on it. */
import type { Deps } from '../deps.js';
import { endSessions, liveSessionsOfClient } from '../sessions/sessions.js';
import { type Caller, createClient, requireClient } from './index.js';
import { type Answer, finish, readSnapshot } from './snapshot.js';

/** `GET /v1/client`: the client as it is (null for a browser without one). */
export async function readClient(deps: Deps, caller: Caller): Promise<Answer<null>> {
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const rows = caller.client ? await readSnapshot(deps.store.db, { clientId: caller.client.id, settings, now, known: { client: caller.client } }) : null;
  return finish(deps, caller.azp, { result: null, rows }, settings, now);
}

/** `POST /v1/client`: the browser's client, created if it has none. */
export async function ensureClient(deps: Deps, caller: Caller): Promise<Answer<null>> {
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    if (caller.client) return { result: null, rows: await readSnapshot(trx, { clientId: caller.client.id, settings, now }) };
    const made = await createClient(trx, now);
    return { result: null, cookie: made.token, rows: await readSnapshot(trx, { clientId: made.client.id, settings, now, known: { client: made.client, sessions: [] } }) };
  });
  return finish(deps, caller.azp, done, settings, now);
}

/** Ends every live session of the browser (`DELETE /v1/client`, `DELETE /v1/client/sessions`). */
export async function signOutAll(deps: Deps, caller: Caller): Promise<Answer<null>> {
  const client = requireClient(caller);
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const live = await liveSessionsOfClient(trx, client.id, now, settings);
    await endSessions(trx, client.id, live.map((s) => s.id), now, caller);
    return { result: null, rows: await readSnapshot(trx, { clientId: client.id, settings, now }) };
  });
  return finish(deps, null, done, settings, now);
}

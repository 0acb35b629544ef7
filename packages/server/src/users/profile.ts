/**
 * The signed-in user edits their profile (`PATCH /v1/me`): set or replace the username and the
 * email address. The address is taken as typed for now; verifying it by email is a later feature.
 * Each value stays unique across users (case-insensitively): checked here, and enforced by the
 * unique index when two users race for it.
 */
import { audit } from '../audit/index.js';
import { asActingSession } from '../clients/acting-session.js';
import type { Caller } from '../clients/index.js';
import { readUser, type Answer, type UserBundle } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import * as identifiers from '../store/identifiers.js';
import * as users from '../store/users.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { newId } from '../util/ids.js';
import { identifierExists, type IdentifierType, normalizeIdentifier, validateEmail, validateUsername } from './identifiers.js';

export interface ProfileChanges {
  username?: string;
  email_address?: string;
}

export async function updateProfile(deps: Deps, caller: Caller, sessionId: string | undefined, params: ProfileChanges): Promise<Answer<UserBundle>> {
  const wanted: [IdentifierType, string][] = [];
  if (params.username !== undefined) wanted.push(['username', validateUsername(params.username)]);
  if (params.email_address !== undefined) wanted.push(['email_address', validateEmail(params.email_address)]);
  if (wanted.length === 0) throw fail('form_param_missing', { param: 'username' });
  const settings = await deps.settings.get();
  try {
    return await asActingSession(deps, caller, sessionId, settings, async (trx, session, now) => {
      const userId = session.user_id;
      await users.lockForChange(trx, userId, now);
      const own = await identifiers.ofUser(trx, userId);
      for (const [type, value] of wanted) {
        const normalized = normalizeIdentifier(value);
        const owner = await identifiers.userIdOf(trx, type, normalized);
        if (owner && owner !== userId) throw identifierExists(type);
        const current = own.find((i) => i.type === type);
        if (current) await identifiers.replaceValue(trx, current.id, value, normalized);
        else await identifiers.insert(trx, { id: newId('idn'), user_id: userId, type, value, normalized, created_at: now });
      }
      await audit(trx, now, 'user.updated', { userId, clientId: session.client_id, data: { changed: wanted.map(([type]) => type) } });
      return readUser(trx, userId);
    });
  } catch (err) {
    // Another user took the value between our check and our write: the unique index decided.
    if (isUniqueViolation(err)) throw identifierExists(wanted.length === 1 ? wanted[0]![0] : 'username');
    throw err;
  }
}

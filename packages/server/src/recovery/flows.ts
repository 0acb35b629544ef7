/**
 * A user's recovery codes from the profile: `POST /v1/me/recovery_codes` makes a new set of ten
 * (replacing any old one, used or not) and answers it once — the only time the codes exist in
 * clear; `GET /v1/me/recovery_codes` says how many remain. The SDK calls the POST right after a
 * user's first passkey (sign-up), so codes exist only for users who were shown them.
 */
import { audit } from '../audit/index.js';
import { asActingSession } from '../clients/acting-session.js';
import type { Caller } from '../clients/index.js';
import type { Answer } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import * as recoveryCodes from '../store/recovery-codes.js';
import type { RecoveryCodeRow } from '../store/schema.js';
import * as users from '../store/users.js';
import { newId } from '../util/ids.js';
import { CODES_PER_SET, newRecoveryCode, recoveryCodeMac } from './codes.js';
import { requireRecoveryCodes } from './settings.js';

export interface RecoveryCodesSummary {
  /** Codes in the current set (0: none made yet). */
  total: number;
  remaining: number;
  createdAt: number | null;
  /** Present only in the answer that made them. */
  codes?: string[];
}

export async function readRecoveryCodes(deps: Deps, caller: Caller, sessionId: string | undefined): Promise<Answer<RecoveryCodesSummary>> {
  const settings = await requireRecoveryCodes(deps);
  return asActingSession(deps, caller, sessionId, settings, (trx, session) => recoveryCodes.summaryOfUser(trx, session.user_id));
}

export async function createRecoveryCodes(deps: Deps, caller: Caller, sessionId: string | undefined): Promise<Answer<RecoveryCodesSummary>> {
  const settings = await requireRecoveryCodes(deps);
  return asActingSession(deps, caller, sessionId, settings, async (trx, session, now) => {
    const codes = Array.from({ length: CODES_PER_SET }, newRecoveryCode);
    const rows: RecoveryCodeRow[] = codes.map((code) => ({
      id: newId('rc'),
      user_id: session.user_id,
      mac: recoveryCodeMac(deps.email.secret, session.user_id, code),
      used_at: null,
      created_at: now,
    }));
    // Under the user's lock: two regenerations racing leave one whole set, not a mix.
    await users.lockForChange(trx, session.user_id, now);
    await recoveryCodes.replaceForUser(trx, session.user_id, rows);
    await audit(trx, now, 'recovery_codes.created', { userId: session.user_id, clientId: session.client_id, data: { count: codes.length }, ctx: caller });
    return { total: codes.length, remaining: codes.length, createdAt: now, codes };
  });
}

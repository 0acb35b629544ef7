/**
 * `/v1/me` account routes on Clerk's paths: edit the profile (`PATCH /me`), delete the account
 * (`DELETE /me`), list the user's active sessions on every browser and revoke one. Each acts as
 * the session named by `_clerk_session_id` (else the client's last active one).
 */
import type { Handler, Hono } from 'hono';
import { z } from 'zod';
import { createRecoveryCodes, readRecoveryCodes } from '../recovery/flows.js';
import { activeSessionsOf, revokeSessionOf } from '../sessions/devices.js';
import { deleteAccount } from '../users/delete-account.js';
import { updateProfile } from '../users/profile.js';
import { actingSessionId, callerOf, envelope, type FapiEnv } from './context.js';
import { parseParams, readParams, str } from './params.js';
import { recoveryCodesJson, userJson } from './present.js';
import { sessionActivityJson } from './session-activity.js';

const profile = z.object({ username: str(64).optional(), email_address: str(254).optional() });

/** routes.ts's helper that also registers PATCH/DELETE as `POST …?_method=`. */
type Overridable = (app: Hono<FapiEnv>, path: string, handlers: Partial<Record<'PATCH' | 'DELETE', Handler<FapiEnv>>>) => void;

export function meRoutes(app: Hono<FapiEnv>, overridable: Overridable): void {
  overridable(app, '/me', {
    PATCH: async (c) => {
      const params = parseParams(profile, await readParams(c));
      const answer = await updateProfile(c.var.deps, callerOf(c), actingSessionId(c), params);
      return envelope(c, answer, userJson(answer.result));
    },
    DELETE: async (c) => {
      const answer = await deleteAccount(c.var.deps, callerOf(c), actingSessionId(c));
      return envelope(c, answer, { object: 'user', id: answer.result.id, deleted: true });
    },
  });

  app.get('/me/sessions/active', async (c) => {
    const answer = await activeSessionsOf(c.var.deps, callerOf(c), actingSessionId(c));
    return envelope(c, answer, answer.result.map(sessionActivityJson));
  });

  // Recovery codes (recovery/flows.ts): how many remain; a new set, shown once.
  app.get('/me/recovery_codes', async (c) => {
    const answer = await readRecoveryCodes(c.var.deps, callerOf(c), actingSessionId(c));
    return envelope(c, answer, recoveryCodesJson(answer.result));
  });
  app.post('/me/recovery_codes', async (c) => {
    const answer = await createRecoveryCodes(c.var.deps, callerOf(c), actingSessionId(c));
    return envelope(c, answer, recoveryCodesJson(answer.result));
  });

  app.post('/me/sessions/:id/revoke', async (c) => {
    const answer = await revokeSessionOf(c.var.deps, callerOf(c), actingSessionId(c), c.req.param('id'));
    return envelope(c, answer, sessionActivityJson(answer.result));
  });
}

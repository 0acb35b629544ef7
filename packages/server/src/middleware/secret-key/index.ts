/**
 * Backend API authentication: `Authorization: Bearer sk_…`, checked by the secret-keys service
 * (401 `secret_key_required` / `authentication_invalid`). The request then acts as the key: the
 * audit context it sets names the key as the actor, with the caller's IP and user agent.
 */
import type { MiddlewareHandler } from 'hono';
import type { AuditContext } from '../../audit/index.js';
import type { Deps } from '../../deps.js';
import { clientIp } from '../rate-limit/index.js';
import type { KeyActor } from '../../secret-keys/index.js';

export type SecretKeyEnv = { Variables: { deps: Deps; actor: KeyActor; audit: AuditContext } };

export function secretKey(): MiddlewareHandler<SecretKeyEnv> {
  return async function secretKey(c, next) {
    const actor = await c.var.deps.secretKeys.authenticate(c.req.header('authorization'));
    c.set('actor', actor);
    c.set('audit', { actor: { type: 'secret_key', id: actor.id }, ip: clientIp(c, c.var.deps.config.trustProxy), userAgent: c.req.header('user-agent') ?? null });
    await next();
  };
}

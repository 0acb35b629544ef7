import * as auditEvents from '../store/audit-events.js';
import type { Db } from '../store/types.js';
import type { AuditContext } from './context.js';

export type { ActorType, AuditContext } from './context.js';

/** Every event type the audit log records (docs/backend-api.md lists them). */
export const AUDIT_TYPES = [
  'settings.updated',
  'sign_up.completed',
  'sign_in.completed',
  'sign_in.failed',
  'user.created',
  'user.updated',
  'user.banned',
  'user.unbanned',
  'user.deleted',
  'passkey.created',
  'passkey.renamed',
  'passkey.deleted',
  'passkey.counter_regression',
  'passkey.verification_failed',
  'session.created',
  'session.ended',
  'session.revoked',
  'recovery_codes.created',
  'recovery_code.used',
  'session.recovery_lifted',
  'signing_key.rotated',
  'secret_key.created',
  'secret_key.revoked',
  'webhook_endpoint.created',
  'webhook_endpoint.deleted',
  'administrator.created',
  'administrator.invited',
  'administrator.signed_in',
  'administrator.sign_in_failed',
  'administrator.signed_out',
] as const;

export type AuditType = (typeof AUDIT_TYPES)[number];

export interface AuditFields {
  userId?: string | null;
  clientId?: string | null;
  data?: Record<string, unknown>;
  /** Who acts and from where; without an actor, the user the event is about (or the system). */
  ctx?: AuditContext | undefined;
}

/** The row of an audit event, for a repository that writes it along with other changes. */
export function auditEvent(now: number, type: AuditType, fields: AuditFields = {}): auditEvents.NewAuditEvent {
  const ctx = fields.ctx;
  const userId = fields.userId ?? null;
  const actor = ctx?.actor ?? (userId ? { type: 'user' as const, id: userId } : { type: 'system' as const, id: null });
  return {
    type,
    user_id: userId,
    client_id: fields.clientId ?? null,
    data: JSON.stringify(fields.data ?? {}),
    created_at: now,
    actor_type: actor.type,
    actor_id: actor.id,
    ip: ctx?.ip ?? null,
    user_agent: ctx?.userAgent ?? null,
  };
}

/** Appends an audit event inside the caller's transaction, so it commits with the change it records. */
export async function audit(db: Db, now: number, type: AuditType, fields: AuditFields = {}): Promise<void> {
  await auditEvents.append(db, auditEvent(now, type, fields));
}

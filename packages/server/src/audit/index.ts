import * as auditEvents from '../store/audit-events.js';
import type { Db } from '../store/types.js';

export type AuditType =
  | 'settings.updated'
  | 'user.created'
  | 'passkey.created'
  | 'passkey.renamed'
  | 'passkey.deleted'
  | 'passkey.counter_regression'
  | 'passkey.verification_failed'
  | 'session.created'
  | 'session.ended'
  | 'signing_key.rotated';

export interface AuditFields {
  userId?: string | null;
  clientId?: string | null;
  data?: Record<string, unknown>;
}

/** The row of an audit event, for a repository that writes it along with other changes. */
export function auditEvent(now: number, type: AuditType, fields: AuditFields = {}): auditEvents.NewAuditEvent {
  return { type, user_id: fields.userId ?? null, client_id: fields.clientId ?? null, data: JSON.stringify(fields.data ?? {}), created_at: now };
}

/** Appends an audit event inside the caller's transaction, so it commits with the change it records. */
export async function audit(db: Db, now: number, type: AuditType, fields: AuditFields = {}): Promise<void> {
  await auditEvents.append(db, auditEvent(now, type, fields));
}

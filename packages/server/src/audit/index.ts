import type { Kysely, Transaction } from 'kysely';
import { prepared } from '../store/prepared.js';
import type { Database } from '../store/schema.js';

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

/** Appends an audit event inside the caller's transaction, so it commits with the change it records. */
export async function audit(
  db: Kysely<Database> | Transaction<Database>,
  now: number,
  type: AuditType,
  fields: { userId?: string | null; clientId?: string | null; data?: Record<string, unknown> } = {},
): Promise<void> {
  await insertEvent.run(db, {
    type,
    user_id: fields.userId ?? null,
    client_id: fields.clientId ?? null,
    data: JSON.stringify(fields.data ?? {}),
    created_at: now,
  });
}

type EventValues = { type: AuditType; user_id: string | null; client_id: string | null; data: string; created_at: number };
const insertEvent = prepared<EventValues>((db, p) =>
  db.insertInto('audit_events').values({ type: p('type'), user_id: p('user_id'), client_id: p('client_id'), data: p('data'), created_at: p('created_at') }),
);

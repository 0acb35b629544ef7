/** The `audit_events` table: append-only, written in the transaction of the change it records. */
import { prepared } from './prepared.js';
import type { Db } from './types.js';

export type NewAuditEvent = {
  type: string;
  user_id: string | null;
  client_id: string | null;
  data: string;
  created_at: number;
};

const insertQuery = prepared<NewAuditEvent>((db, p) =>
  db.insertInto('audit_events').values({ type: p('type'), user_id: p('user_id'), client_id: p('client_id'), data: p('data'), created_at: p('created_at') }),
);

export async function append(db: Db, event: NewAuditEvent): Promise<void> {
  await insertQuery.run(db, event);
}

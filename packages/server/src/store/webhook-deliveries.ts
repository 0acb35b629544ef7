/** The `webhook_deliveries` table: the delivery log, one row per attempt. */
import type { WebhookDeliveryRow } from './schema.js';
import type { Db } from './types.js';

export async function insert(db: Db, row: WebhookDeliveryRow): Promise<void> {
  await db.insertInto('webhook_deliveries').values(row).execute();
}

export function byId(db: Db, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * An endpoint's attempts, newest first, `limit` of them after the cursor row `after` (its
 * `(created_at, id)` pair, so rows added meanwhile are neither skipped nor repeated).
 */
export function ofEndpoint(db: Db, o: { endpointId: string; limit: number; after?: { created_at: number; id: string } }): Promise<WebhookDeliveryRow[]> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', o.endpointId);
  const after = o.after;
  if (after) {
    q = q.where((eb) => eb.or([eb('created_at', '<', after.created_at), eb.and([eb('created_at', '=', after.created_at), eb('id', '<', after.id)])]));
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(o.limit).execute();
}

export async function countOfEndpoint(db: Db, endpointId: string): Promise<number> {
  const row = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('endpoint_id', '=', endpointId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The `webhook_endpoints` table: where events are sent, which ones, and the signing secret. */
import type { WebhookEndpointRow } from './schema.js';
import type { Db } from './types.js';

export async function insert(db: Db, row: WebhookEndpointRow): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export function byId(db: Db, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every endpoint; a handful per instance, read in the transaction of each event. */
export function all(db: Db): Promise<WebhookEndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function remove(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Whether any endpoint subscribes to `type` (an empty list subscribes to every event). */
export async function hasSubscribers(db: Db, type: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where((eb) => eb.or([eb('event_types', '=', '[]'), eb('event_types', 'like', `%${JSON.stringify(type)}%`)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

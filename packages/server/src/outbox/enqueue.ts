/**
 * Writing to the outbox: always inside the transaction of the change, so a message exists if and
 * only if its change committed (a rolled-back change leaves none, a committed one loses none).
 */
import * as outbox from '../store/outbox.js';
import type { Db } from '../store/types.js';
import { newId } from '../util/ids.js';

export { insertedCount as enqueuedCount } from '../store/outbox.js';

export async function enqueue(db: Db, now: number, message: { topic: string; payload: unknown }): Promise<string> {
  const id = newId('msg', now);
  await outbox.insert(db, {
    id,
    topic: message.topic,
    payload: JSON.stringify(message.payload),
    status: 'pending',
    attempts: 0,
    available_at: now,
    locked_until: null,
    claim_token: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  });
  return id;
}

/**
 * Emitting webhook events from flows. Called inside the flow's transaction: for each endpoint that
 * subscribes to the event, one outbox message is written with the change, so the event is sent if
 * and only if the change commits. With no subscribed endpoint nothing is written, and the event's
 * data (which may need a read) is not even built.
 */
import { enqueue } from '../outbox/enqueue.js';
import * as identifiers from '../store/identifiers.js';
import type { PasskeyRow, SessionRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import type { Db } from '../store/types.js';
import * as users from '../store/users.js';
import * as webhookEndpoints from '../store/webhook-endpoints.js';
import { deletedPasskeyData, deletedUserData, passkeyData, sessionData, userData } from './payloads.js';

export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'session.created',
  'session.ended',
  'session.revoked',
  'passkey.created',
  'passkey.deleted',
] as const;

export type WebhookEventType = (typeof EVENT_TYPES)[number];

/** The test event an operator sends from the API; it goes only to the endpoint asked for. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** The outbox topic of webhook deliveries: one message per (event, endpoint). */
export const WEBHOOK_TOPIC = 'webhook';

export interface WebhookMessage {
  endpoint_id: string;
  type: string;
  /** The exact JSON text that is signed and sent. */
  body: string;
}

/** The event envelope receivers get (Clerk's: `{ data, object: 'event', type, timestamp }`). */
export function eventBody(type: string, data: unknown, now: number): string {
  return JSON.stringify({ data, object: 'event', type, timestamp: now });
}

export function subscribes(eventTypes: string, type: string): boolean {
  const list = JSON.parse(eventTypes) as string[];
  return list.length === 0 || list.includes(type);
}

export async function emitEvent(db: Db, now: number, type: WebhookEventType, data: () => unknown | Promise<unknown>): Promise<void> {
  const endpoints = (await webhookEndpoints.all(db)).filter((e) => subscribes(e.event_types, type));
  if (endpoints.length === 0) return;
  const body = eventBody(type, await data(), now);
  for (const e of endpoints) {
    await enqueue(db, now, { topic: WEBHOOK_TOPIC, payload: { endpoint_id: e.id, type, body } satisfies WebhookMessage });
  }
}

/** `user.created` / `user.updated`: the user as it is in this transaction. */
export function emitUser(db: Db, now: number, type: 'user.created' | 'user.updated', userId: string): Promise<void> {
  return emitEvent(db, now, type, async () => {
    const user = await users.byId(db, userId);
    return user ? userData(user, await identifiers.ofUser(db, userId)) : deletedUserData(userId);
  });
}

export function emitUserDeleted(db: Db, now: number, userId: string): Promise<void> {
  return emitEvent(db, now, 'user.deleted', () => deletedUserData(userId));
}

export function emitSession(db: Db, now: number, type: 'session.created' | 'session.ended' | 'session.revoked', session: SessionRow): Promise<void> {
  return emitEvent(db, now, type, () => sessionData(session));
}

/** Sessions ended by id: their rows are read only when someone subscribes. */
export function emitSessionsEnded(db: Db, now: number, type: 'session.ended' | 'session.revoked', ids: string[]): Promise<void> {
  if (ids.length === 0) return Promise.resolve();
  return (async () => {
    const endpoints = (await webhookEndpoints.all(db)).filter((e) => subscribes(e.event_types, type));
    if (endpoints.length === 0) return;
    for (const s of await sessions.byIds(db, ids)) await emitSession(db, now, type, s);
  })();
}

export function emitPasskeyCreated(db: Db, now: number, passkey: PasskeyRow): Promise<void> {
  return emitEvent(db, now, 'passkey.created', () => passkeyData(passkey));
}

export function emitPasskeyDeleted(db: Db, now: number, passkey: Pick<PasskeyRow, 'id' | 'user_id'>): Promise<void> {
  return emitEvent(db, now, 'passkey.deleted', () => deletedPasskeyData(passkey));
}

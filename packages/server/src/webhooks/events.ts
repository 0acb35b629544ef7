/**
 * Emitting webhook events from flows. Called inside the flow's transaction: one statement writes an
 * outbox message for each endpoint that subscribes to the event (none when no endpoint does), so
 * the event is sent if and only if the change commits. The event's data is built from rows the
 * flow already holds; no read is added to the flow.
 */
import * as outbox from '../store/outbox.js';
import type { IdentifierRow, PasskeyRow, SessionRow, UserRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import type { Db } from '../store/types.js';
import * as webhookEndpoints from '../store/webhook-endpoints.js';
import { newId } from '../util/ids.js';
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

/** A webhook message's payload in the outbox. */
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

/** An event ready to fan out; pure, so a caller can hand it to a statement of its own (sign-in). */
export function webhookEvent(type: WebhookEventType, data: unknown, now: number): outbox.WebhookFanOut {
  return { id: newId('msg', now), type, body: eventBody(type, data, now), now };
}

export async function emitEvent(db: Db, now: number, type: WebhookEventType, data: unknown): Promise<void> {
  await outbox.fanOut(db, webhookEvent(type, data, now));
}

export function emitUser(db: Db, now: number, type: 'user.created' | 'user.updated', user: UserRow, identifiers: IdentifierRow[]): Promise<void> {
  return emitEvent(db, now, type, userData(user, identifiers));
}

export function emitUserDeleted(db: Db, now: number, userId: string): Promise<void> {
  return emitEvent(db, now, 'user.deleted', deletedUserData(userId));
}

export function emitSession(db: Db, now: number, type: 'session.created' | 'session.ended' | 'session.revoked', session: SessionRow): Promise<void> {
  return emitEvent(db, now, type, sessionData(session));
}

/** Sessions ended by id: their rows are read only when some endpoint subscribes. */
export async function emitSessionsEnded(db: Db, now: number, type: 'session.ended' | 'session.revoked', ids: string[]): Promise<void> {
  if (ids.length === 0 || !(await webhookEndpoints.hasSubscribers(db, type))) return;
  for (const s of await sessions.byIds(db, ids)) await emitSession(db, now, type, s);
}

export function emitPasskeyCreated(db: Db, now: number, passkey: PasskeyRow): Promise<void> {
  return emitEvent(db, now, 'passkey.created', passkeyData(passkey));
}

export function emitPasskeyDeleted(db: Db, now: number, passkey: Pick<PasskeyRow, 'id' | 'user_id'>): Promise<void> {
  return emitEvent(db, now, 'passkey.deleted', deletedPasskeyData(passkey));
}

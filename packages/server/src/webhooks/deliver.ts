/**
 * The outbox handler for webhook messages: signs the event in the Standard Webhooks format and
 * POSTs it to the endpoint, logging each attempt. A 2xx answer delivers it; anything else (another
 * status, a redirect, a refused connection, a timeout) is a failed attempt the outbox retries.
 */
import { Webhook } from 'standardwebhooks';
import type { Handler } from '../outbox/dispatcher.js';
import type { Store } from '../store/db.js';
import type { OutboxRow } from '../store/schema.js';
import * as deliveries from '../store/webhook-deliveries.js';
import * as webhookEndpoints from '../store/webhook-endpoints.js';
import { newId } from '../util/ids.js';
import type { Clock } from '../util/time.js';
import type { WebhookMessage } from './events.js';

/** A receiver gets this long to answer; the outbox lease (60 s) is longer, so no one else retries meanwhile. */
export const DELIVERY_TIMEOUT_MS = 15_000;

export function webhookHandler(deps: { store: Store; clock: Clock }, o: { timeoutMs?: number } = {}): Handler {
  const timeoutMs = o.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  return async function deliverWebhook(message: OutboxRow) {
    const m = JSON.parse(message.payload) as WebhookMessage;
    const db = deps.store.db;
    const endpoint = await webhookEndpoints.byId(db, m.endpoint_id);
    // Deleted since: nothing to deliver to, and nothing to retry.
    if (!endpoint) return { ok: true };
    const sentAt = deps.clock.now();
    // The message id is the `webhook-id`: the same on every retry, so receivers can drop repeats.
    const signature = new Webhook(endpoint.secret).sign(message.id, new Date(sentAt), m.body);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Latchkey-Webhooks/1',
          'webhook-id': message.id,
          'webhook-timestamp': String(Math.floor(sentAt / 1000)),
          'webhook-signature': signature,
        },
        body: m.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.body?.cancel();
      if (status < 200 || status > 299) error = `The endpoint answered HTTP ${status}.`;
    } catch (err) {
      error = describeFetchError(err);
    }
    await deliveries.insert(db, {
      id: newId('whd', deps.clock.now()),
      endpoint_id: endpoint.id,
      message_id: message.id,
      event_type: m.type,
      attempt: message.attempts,
      status: error ? 'failed' : 'succeeded',
      response_status: status,
      error,
      created_at: deps.clock.now(),
    });
    return error ? { ok: false, error } : { ok: true };
  };
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'The endpoint did not answer in time.';
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : null;
  const code = cause && 'code' in cause ? String((cause as { code: unknown }).code) : null;
  return `The endpoint could not be reached${code ? ` (${code})` : ''}.`;
}

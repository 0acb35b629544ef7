/**
 * Verifying a webhook from Latchkey (Standard Webhooks signatures) before trusting it:
 *
 *   app.post('/webhooks/latchkey', express.raw({ type: 'application/json' }), (req, res) => {
 *     const event = verifyWebhook(req.body, req.headers, process.env.LATCHKEY_WEBHOOK_SECRET!);
 *     if (event.type === 'user.created') …
 *   });
 *
 * Pass the body exactly as received (string or bytes): re-serialised JSON does not verify.
 */
import { Webhook, WebhookVerificationError as LibraryError } from 'standardwebhooks';
import type { WebhookEventType } from './client.js';

export interface WebhookEvent<T = Record<string, unknown>> {
  object: 'event';
  type: WebhookEventType | 'webhook.test';
  data: T;
  /** When the change happened (Unix ms). */
  timestamp: number;
}

export type WebhookErrorCode = 'webhook_headers_missing' | 'webhook_signature_invalid';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Checks the `webhook-signature` over `webhook-id`, `webhook-timestamp` and the body with the
 * endpoint's `whsec_…` secret, and that the timestamp is within five minutes (replays of old
 * messages fail). Returns the parsed event; throws `WebhookVerificationError` otherwise.
 */
export function verifyWebhook(payload: string | Uint8Array, headers: HeaderSource, secret: string): WebhookEvent {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    throw new WebhookVerificationError('webhook_headers_missing', 'The request lacks webhook-id, webhook-timestamp or webhook-signature.');
  }
  const body = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  try {
    return new Webhook(secret).verify(body, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }) as WebhookEvent;
  } catch (err) {
    if (err instanceof LibraryError) throw new WebhookVerificationError('webhook_signature_invalid', err.message);
    throw err;
  }
}

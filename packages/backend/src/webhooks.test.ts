import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from './webhooks.js';

const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
const body = JSON.stringify({ object: 'event', type: 'user.created', data: { id: 'user_1' }, timestamp: 1 });

function signed(o: { at?: Date; payload?: string; key?: string } = {}) {
  const at = o.at ?? new Date();
  return {
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(o.key ?? secret).sign('msg_1', at, o.payload ?? body),
  };
}

const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookVerificationError);
    return (err as WebhookVerificationError).code;
  }
};

describe('verifyWebhook', () => {
  it('returns the event for a body signed with the secret, from a string or bytes, plain or Fetch headers', () => {
    expect(verifyWebhook(body, signed(), secret)).toMatchObject({ type: 'user.created', data: { id: 'user_1' } });
    expect(verifyWebhook(new TextEncoder().encode(body), new Headers(signed()), secret).type).toBe('user.created');
    // Node lower-cases header names; some frameworks do not.
    const upper = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhook(body, upper, secret).type).toBe('user.created');
  });

  it('refuses a changed body, another secret, an old timestamp and missing headers', () => {
    expect(codeOf(() => verifyWebhook(body.replace('user_1', 'user_2'), signed(), secret))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyWebhook(body, signed({ key: `whsec_${Buffer.alloc(24, 2).toString('base64')}` }), secret))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyWebhook(body, signed({ at: new Date(Date.now() - 10 * 60_000) }), secret))).toBe('webhook_signature_invalid');
    const { 'webhook-signature': _, ...unsigned } = signed();
    expect(codeOf(() => verifyWebhook(body, unsigned, secret))).toBe('webhook_headers_missing');
  });
});

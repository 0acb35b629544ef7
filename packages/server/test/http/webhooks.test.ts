/**
 * Webhooks end to end: flows write events to the outbox in their transaction, the dispatcher
 * delivers them to a real HTTP receiver that verifies Standard Webhooks signatures with the
 * `standardwebhooks` library. Time moves only by the test clock; deliveries are run by hand
 * (`drain`) or by the post-commit kick, and the tests wait for the receiver, never for time.
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { registerWebhookRoutes } from '../../src/bapi/webhooks.js';
import type { Deps } from '../../src/deps.js';
import { LatchkeyError, toErrorBody } from '../../src/errors/index.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { Dispatcher } from '../../src/outbox/dispatcher.js';
import { FIRST_RETRY_MS, retryDelayMs } from '../../src/outbox/backoff.js';
import { webhookHandler } from '../../src/webhooks/deliver.js';
import { createWebhookEndpoint, listWebhookDeliveries, sendTestEvent } from '../../src/webhooks/endpoints.js';
import { emitEvent, WEBHOOK_TOPIC } from '../../src/webhooks/events.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { addPasskey, expectError, expectOk, signInDiscoverable, signUp } from '../support/flows.js';
import { createTestServer, type TestServer } from '../support/harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  while (receivers.length) await receivers.pop()!.down();
});

/** A server whose clock reads real time (receivers check `webhook-timestamp` against theirs), and a receiver. */
async function setup(eventTypes?: string[]) {
  const server = await createTestServer();
  server.clock.t = Date.now();
  const receiver = await WebhookReceiver.start();
  receivers.push(receiver);
  const endpoint = await createWebhookEndpoint(server.deps, { url: receiver.url, ...(eventTypes ? { event_types: eventTypes } : {}) });
  receiver.secret = endpoint.secret;
  return { server, receiver, endpoint };
}

async function outboxRows(server: TestServer) {
  return server.deps.store.db.selectFrom('outbox').selectAll().orderBy('created_at').execute();
}

describe('webhook events from the flows', () => {
  it('sign-up sends user.created, passkey.created and session.created, signed and verifiable', async () => {
    const { server, receiver, endpoint } = await setup();
    const { userId, sessionId } = await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'wanda', email_address: 'wanda@example.com' });
    expect(await server.deps.dispatcher.drain()).toBe(3);
    const got = await receiver.count(3);
    expect(got.every((r) => r.verified)).toBe(true);
    const byType = Object.fromEntries(got.map((r) => [r.event!.type, r]));
    expect(Object.keys(byType).sort()).toEqual(['passkey.created', 'session.created', 'user.created']);
    const user = byType['user.created']!.event!.data;
    expect(user).toMatchObject({ object: 'user', id: userId, username: 'wanda', email_addresses: [{ email_address: 'wanda@example.com' }] });
    expect(byType['session.created']!.event!.data).toMatchObject({ object: 'session', id: sessionId, user_id: userId, status: 'active' });
    expect(byType['passkey.created']!.event!.data).toMatchObject({ object: 'passkey', user_id: userId });
    // The webhook-id is the outbox message id; every message is settled, each attempt logged.
    const rows = await outboxRows(server);
    expect(rows.map((r) => r.id).sort()).toEqual(got.map((r) => r.id).sort());
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
    const log = await listWebhookDeliveries(server.deps, endpoint.id, {});
    expect(log.data.map((d) => [d.status, d.response_status])).toEqual([
      ['succeeded', 204],
      ['succeeded', 204],
      ['succeeded', 204],
    ]);
  });

  it('a signature made with another secret does not verify (the receiver check can fail)', async () => {
    const { server, receiver } = await setup(['session.created']);
    receiver.secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'mallory' });
    await server.deps.dispatcher.drain();
    const [r] = await receiver.count(1);
    expect(r!.verified).toBe(false);
    expect(r!.error).toMatch(/signature/i);
    // Answered 400, so the delivery counts as failed and stays queued for a retry.
    expect((await outboxRows(server))[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('sends only the event types an endpoint subscribed to; sign-in and sign-out send session events', async () => {
    const { server, receiver } = await setup(['session.created', 'session.ended']);
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    const { sessionId } = await signUp(b, auth, { username: 'sam' });
    expectOk(await b.post(`/v1/client/sessions/${sessionId}/end`));
    const second = await signInDiscoverable(server.browser(), auth);
    await server.deps.dispatcher.drain();
    const got = await receiver.count(3);
    const seen = got.map((r) => `${r.event!.type} ${r.event!.data.id}`).sort();
    expect(seen).toEqual([`session.created ${second}`, `session.created ${sessionId}`, `session.ended ${sessionId}`].sort());
    expect(got.find((r) => r.event!.type === 'session.ended')!.event!.data.status).toBe('ended');
    expect(await outboxRows(server)).toHaveLength(3);
  });

  it('writes nothing to the outbox when no endpoint exists', async () => {
    const server = await createTestServer();
    await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'quiet' });
    expect(await outboxRows(server)).toEqual([]);
  });

  it('no event for a rolled-back change: deleting the last passkey fails and sends no passkey.deleted', async () => {
    const { server, receiver } = await setup(['passkey.deleted']);
    const b = server.browser();
    const { body, sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'rollo' });
    const first = body.client.sessions[0].user.passkeys[0].id as string;
    // The delete writes its event, then finds it removed the last passkey and rolls back.
    expectError(await b.post(`/v1/me/passkeys/${first}?_method=DELETE&_clerk_session_id=${sessionId}`), 409, 'passkey_last_remaining');
    expect(await outboxRows(server)).toEqual([]);
    // With a second passkey the same delete commits, and exactly one event goes out.
    expectOk(await addPasskey(b, sessionId, new SoftwareAuthenticator()));
    expectOk(await b.post(`/v1/me/passkeys/${first}?_method=DELETE&_clerk_session_id=${sessionId}`));
    expect(await server.deps.dispatcher.drain()).toBe(1);
    const [r] = await receiver.count(1);
    expect(r!.event).toMatchObject({ type: 'passkey.deleted', data: { id: first, deleted: true } });
    expect(await outboxRows(server)).toHaveLength(1);
  });

  it('an emit inside a transaction that throws leaves no message', async () => {
    const { server, receiver } = await setup(['user.created']);
    const { userId } = await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'undone' });
    await server.deps.dispatcher.drain();
    await receiver.count(1);
    await expect(
      server.deps.store.db.transaction().execute(async (trx) => {
        await emitEvent(trx, server.clock.now(), 'user.created', { object: 'user', id: userId });
        throw new Error('the change fails after its event was written');
      }),
    ).rejects.toThrow(/change fails/);
    expect(await outboxRows(server)).toHaveLength(1);
    expect(await server.deps.dispatcher.drain()).toBe(0);
  });

  it('the post-commit kick delivers without waiting for a poll', async () => {
    const { server, receiver } = await setup(['user.created']);
    // Polls once an hour: only the kick after the sign-up commits can deliver within the test.
    const d = new Dispatcher(server.deps, { [WEBHOOK_TOPIC]: webhookHandler(server.deps) }, { pollMs: 3600_000 });
    server.deps.dispatcher = d;
    d.start();
    try {
      await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'kicked' });
      const r = await receiver.waitFor((x) => x.event?.type === 'user.created');
      expect(r.verified).toBe(true);
    } finally {
      await d.stop();
    }
  });
});

describe('delivery: retries with backoff, a log per endpoint, several dispatchers', () => {
  it('receiver down, then failing, then up: retried with backoff and delivered once, every attempt logged', async () => {
    const { server, receiver, endpoint } = await setup();
    await receiver.down();
    const messageId = await sendTestEvent(server.deps, endpoint.id);
    expect(await server.deps.dispatcher.drain()).toBe(1);
    let row = (await outboxRows(server))[0]!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, available_at: server.clock.now() + FIRST_RETRY_MS });
    expect(row.last_error).toMatch(/could not be reached/);
    // Not due yet: nothing is claimed.
    expect(await server.deps.dispatcher.drain()).toBe(0);

    await receiver.up();
    receiver.mode = 503;
    server.clock.advance(FIRST_RETRY_MS);
    expect(await server.deps.dispatcher.drain()).toBe(1);
    row = (await outboxRows(server))[0]!;
    expect(row).toMatchObject({ status: 'pending', attempts: 2, available_at: server.clock.now() + retryDelayMs(2) });

    receiver.mode = 'ok';
    server.clock.advance(retryDelayMs(2));
    expect(await server.deps.dispatcher.drain()).toBe(1);
    expect((await outboxRows(server))[0]).toMatchObject({ status: 'done', attempts: 3 });
    // The 503 attempt and the successful one reached the receiver with the same webhook-id.
    expect(receiver.received.map((r) => [r.id, r.verified])).toEqual([
      [messageId, true],
      [messageId, true],
    ]);
    expect(receiver.received[1]!.event!.type).toBe('webhook.test');
    const log = await listWebhookDeliveries(server.deps, endpoint.id, {});
    expect(log.data.map((d) => [d.attempt, d.status, d.response_status])).toEqual([
      [3, 'succeeded', 204],
      [2, 'failed', 503],
      [1, 'failed', null],
    ]);
    expect(log.data[2]!.error).toMatch(/ECONNREFUSED/);
  });

  it('gives a message up after the last attempt', async () => {
    const { server, receiver, endpoint } = await setup();
    receiver.mode = 500;
    const d = new Dispatcher(server.deps, { [WEBHOOK_TOPIC]: webhookHandler(server.deps) }, { maxAttempts: 2 });
    await sendTestEvent(server.deps, endpoint.id);
    await d.drain();
    server.clock.advance(retryDelayMs(1));
    await d.drain();
    expect((await outboxRows(server))[0]).toMatchObject({ status: 'failed', attempts: 2 });
    server.clock.advance(retryDelayMs(10));
    expect(await d.drain()).toBe(0);
    expect(receiver.received).toHaveLength(2);
  });

  it('two dispatchers on one database deliver each message exactly once', async () => {
    const { server, receiver, endpoint } = await setup();
    const n = 30;
    for (let i = 0; i < n; i++) await sendTestEvent(server.deps, endpoint.id);
    const make = () => new Dispatcher(server.deps, { [WEBHOOK_TOPIC]: webhookHandler(server.deps) }, { batch: 4 });
    const [a, b] = [make(), make()];
    const [na, nb] = await Promise.all([a.drain(), b.drain()]);
    expect(na + nb).toBe(n);
    const ids = (await receiver.count(n)).map((r) => r.id);
    expect(new Set(ids).size).toBe(n);
    expect(receiver.received).toHaveLength(n);
  });

  it('a claim is a lease: while it holds no one else takes the message; once it lapses another dispatcher does', async () => {
    const { server, receiver, endpoint } = await setup();
    receiver.mode = 'hold';
    const id = await sendTestEvent(server.deps, endpoint.id);
    const stuck = new Dispatcher(server.deps, { [WEBHOOK_TOPIC]: webhookHandler(server.deps) }, { leaseMs: 60_000 });
    const stuckRun = stuck.runOnce();
    await receiver.count(1);
    const other = new Dispatcher(server.deps, { [WEBHOOK_TOPIC]: webhookHandler(server.deps) });
    expect(await other.runOnce()).toBe(0);
    receiver.mode = 'ok';
    server.clock.advance(60_000);
    expect(await other.runOnce()).toBe(1);
    const r = await receiver.waitFor((x) => x.id === id && receiver.received.indexOf(x) === 1);
    expect(r.verified).toBe(true);
    expect((await outboxRows(server))[0]).toMatchObject({ status: 'done', attempts: 2 });
    // The first holder's request fails at last; its claim is gone, so it cannot undo the delivery.
    await receiver.down();
    await stuckRun;
    expect((await outboxRows(server))[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('messages of a deleted endpoint are dropped, not sent anywhere', async () => {
    const { server, receiver, endpoint } = await setup();
    await sendTestEvent(server.deps, endpoint.id);
    await server.deps.store.db.deleteFrom('webhook_endpoints').where('id', '=', endpoint.id).execute();
    expect(await server.deps.dispatcher.drain()).toBe(1);
    expect((await outboxRows(server))[0]!.status).toBe('done');
    expect(receiver.received).toEqual([]);
  });

  it('a topic without a handler in this process is left for one that has it', async () => {
    const server = await createTestServer();
    await server.deps.store.db.transaction().execute((trx) => enqueue(trx, server.clock.now(), { topic: 'sms', payload: {} }));
    expect(await server.deps.dispatcher.drain()).toBe(0);
    expect((await outboxRows(server))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

/** The backend-API routes, mounted on a tiny app the way the backend API mounts them. */
function routesApp(deps: Deps) {
  const app = new Hono<{ Variables: { deps: Deps } }>();
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.onError((err, c) => {
    if (err instanceof LatchkeyError) return c.json(toErrorBody(err, 'test'), err.status as 400);
    throw err;
  });
  const v1 = new Hono<{ Variables: { deps: Deps } }>();
  registerWebhookRoutes(v1);
  app.route('/v1', v1);
  return {
    call: async (method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      });
      return { status: res.status, body: (await res.json()) as any, headers: res.headers };
    },
  };
}

describe('backend API routes for webhook endpoints', () => {
  it('create, list, get, secret, test, deliveries, delete', async () => {
    const server = await createTestServer();
    server.clock.t = Date.now();
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    const api = routesApp(server.deps);

    const created = await api.call('POST', '/v1/webhook_endpoints', { url: receiver.url, event_types: ['user.created'], description: 'app' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: 'webhook_endpoint', url: receiver.url, event_types: ['user.created'], description: 'app' });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    receiver.secret = created.body.secret;
    const id = created.body.id as string;

    const list = await api.call('GET', '/v1/webhook_endpoints');
    expect(list.body).toMatchObject({ data: [{ id }], has_more: false, total_count: 1 });
    expect(list.body.data[0].secret).toBeUndefined();
    expect((await api.call('GET', `/v1/webhook_endpoints/${id}`)).body.secret).toBeUndefined();
    expect((await api.call('GET', `/v1/webhook_endpoints/${id}/secret`)).body.secret).toBe(created.body.secret);

    // Three test events, delivered; the log pages newest first without loss or repeats.
    for (let i = 0; i < 3; i++) {
      const sent = await api.call('POST', `/v1/webhook_endpoints/${id}/test`);
      expect(sent.body).toMatchObject({ object: 'webhook_message', event_type: 'webhook.test' });
      server.clock.advance(1000);
    }
    await server.deps.dispatcher.drain();
    expect((await receiver.count(3)).every((r) => r.verified)).toBe(true);
    const p1 = await api.call('GET', `/v1/webhook_endpoints/${id}/deliveries?limit=2`);
    expect(p1.body).toMatchObject({ has_more: true, total_count: 3 });
    const p2 = await api.call('GET', `/v1/webhook_endpoints/${id}/deliveries?limit=2&starting_after=${p1.body.data[1].id}`);
    expect(p2.body.has_more).toBe(false);
    const all = [...p1.body.data, ...p2.body.data];
    expect(new Set(all.map((d: { id: string }) => d.id)).size).toBe(3);
    expect(all.map((d: { message_id: string }) => d.message_id).sort()).toEqual(receiver.received.map((r) => r.id).sort());

    expect((await api.call('DELETE', `/v1/webhook_endpoints/${id}`)).body).toEqual({ object: 'webhook_endpoint', id, deleted: true });
    expectError(await api.call('GET', `/v1/webhook_endpoints/${id}`), 404, 'resource_not_found');
    expectError(await api.call('DELETE', `/v1/webhook_endpoints/${id}`), 404, 'resource_not_found');
  });

  it('refuses bad bodies and unknown ids with documented codes', async () => {
    const server = await createTestServer();
    const api = routesApp(server.deps);
    const param = async (body: unknown, code: string) => {
      const e = expectError(await api.call('POST', '/v1/webhook_endpoints', body), 422, code);
      return e.meta.param_name;
    };
    expect(await param({}, 'form_param_missing')).toBe('url');
    expect(await param({ url: 'not a url' }, 'form_param_format_invalid')).toBe('url');
    expect(await param({ url: 'ftp://example.com/hook' }, 'form_param_format_invalid')).toBe('url');
    expect(await param({ url: 'https://user:pw@example.com/hook' }, 'form_param_format_invalid')).toBe('url');
    expect(await param({ url: 'https://example.com/hook', event_types: ['user.exploded'] }, 'form_param_format_invalid')).toBe('event_types');
    expect(await param({ url: 'https://example.com/hook', event_types: 'user.created' }, 'form_param_format_invalid')).toBe('event_types');
    for (const path of ['/v1/webhook_endpoints/ep_nope', '/v1/webhook_endpoints/ep_nope/secret', '/v1/webhook_endpoints/ep_nope/deliveries']) {
      expectError(await api.call('GET', path), 404, 'resource_not_found');
    }
    expectError(await api.call('POST', '/v1/webhook_endpoints/ep_nope/test'), 404, 'resource_not_found');
    const ok = await api.call('POST', '/v1/webhook_endpoints', { url: 'https://example.com/hook' });
    const id = ok.body.id;
    expect(ok.body.event_types).toEqual([]);
    expect(expectError(await api.call('GET', `/v1/webhook_endpoints/${id}/deliveries?limit=0`), 422, 'form_param_format_invalid').meta.param_name).toBe('limit');
    expect(expectError(await api.call('GET', `/v1/webhook_endpoints/${id}/deliveries?limit=abc`), 422, 'form_param_format_invalid').meta.param_name).toBe('limit');
    expect(expectError(await api.call('GET', `/v1/webhook_endpoints/${id}/deliveries?starting_after=whd_x`), 422, 'form_param_format_invalid').meta.param_name).toBe(
      'starting_after',
    );
  });

  it('outside development, endpoints must use https', async () => {
    const server = await createTestServer({ config: { mode: 'production', publicUrl: 'https://auth.example.com' }, settings: { domain: 'example.com' } });
    const api = routesApp(server.deps);
    expect(expectError(await api.call('POST', '/v1/webhook_endpoints', { url: 'http://example.com/hook' }), 422, 'form_param_format_invalid').meta.param_name).toBe('url');
    expect((await api.call('POST', '/v1/webhook_endpoints', { url: 'https://example.com/hook' })).status).toBe(200);
  });
});

/**
 * The client against a real Latchkey server over HTTP. The webhooks namespace runs here against
 * the server's webhook routes (bapi/webhooks.ts), mounted under /v1 behind a stand-in for the
 * backend API's secret-key check; the users, passkeys and sessions namespaces need the backend API
 * itself and are tested in client.backend-api.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebhookRoutes, type WebhookRoutesEnv } from '../../server/src/bapi/webhooks.js';
import { fail, LatchkeyError, toErrorBody } from '../../server/src/errors/index.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { testConfig } from '../../server/test/support/harness.js';
import { createLatchkeyClient, LatchkeyApiError, verifyWebhook, type WebhookEvent } from './index.js';

const SECRET_KEY = `sk_test_${'k'.repeat(40)}`;
let server: RunningServer;
let api: ServerType;
let apiUrl: string;

beforeAll(async () => {
  server = await startServer(testConfig({ port: 0 }), { log: () => {} });
  // The webhook routes on the server's deps (its database and dispatcher), behind a stand-in
  // for the backend API's secret-key middleware.
  const app = new Hono<WebhookRoutesEnv>();
  app.use(async function secretKeyStandIn(c, next) {
    c.set('deps', server.deps);
    if (c.req.header('authorization') !== `Bearer ${SECRET_KEY}`) throw fail('authentication_invalid', { why: 'A valid secret key is required.' });
    await next();
  });
  app.onError((err, c) => (err instanceof LatchkeyError ? c.json(toErrorBody(err, 'test'), err.status as 400) : c.json({}, 500)));
  const v1 = new Hono<WebhookRoutesEnv>();
  registerWebhookRoutes(v1);
  app.route('/v1', v1);
  api = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => api?.close(resolve));
  await server?.close();
});

/** An app's webhook route: verifies with verifyWebhook and records the events. */
async function appReceiver() {
  const events: WebhookEvent[] = [];
  const failures: string[] = [];
  let secret = '';
  let arrived: () => void = () => {};
  const http: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      events.push(verifyWebhook(Buffer.concat(chunks), req.headers, secret));
      res.statusCode = 204;
    } catch (err) {
      failures.push(String(err));
      res.statusCode = 400;
    }
    res.end();
    arrived();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`,
    events,
    failures,
    setSecret: (s: string) => (secret = s),
    next: () => new Promise<void>((resolve) => (arrived = resolve)),
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

describe('createLatchkeyClient: webhooks', () => {
  it('creates an endpoint, sends it a test event the app verifies, lists the delivery, deletes it', async () => {
    const latchkey = createLatchkeyClient({ secretKey: SECRET_KEY, apiUrl });
    const receiver = await appReceiver();
    try {
      const endpoint = await latchkey.webhooks.createEndpoint({ url: receiver.url, event_types: ['user.created', 'session.revoked'] });
      expect(endpoint.secret).toMatch(/^whsec_/);
      receiver.setSecret(endpoint.secret);
      expect((await latchkey.webhooks.getSecret(endpoint.id)).secret).toBe(endpoint.secret);
      expect((await latchkey.webhooks.listEndpoints()).data.map((e) => e.id)).toContain(endpoint.id);
      expect((await latchkey.webhooks.getEndpoint(endpoint.id)).event_types).toEqual(['user.created', 'session.revoked']);

      // The server's own dispatcher delivers it (kicked after the commit).
      const arrived = receiver.next();
      const sent = await latchkey.webhooks.sendTestEvent(endpoint.id);
      await arrived;
      expect(receiver.failures).toEqual([]);
      expect(receiver.events).toMatchObject([{ type: 'webhook.test', data: { id: endpoint.id } }]);
      // The attempt is logged after the response: wait for the dispatcher's run in flight to end.
      await server.deps.dispatcher.stop();
      server.deps.dispatcher.start();
      const settled = await latchkey.webhooks.listDeliveries(endpoint.id, { limit: 5 });
      expect(settled.data).toMatchObject([{ message_id: sent.id, status: 'succeeded', response_status: 204, event_type: 'webhook.test' }]);

      expect(await latchkey.webhooks.deleteEndpoint(endpoint.id)).toEqual({ object: 'webhook_endpoint', id: endpoint.id, deleted: true });
    } finally {
      await receiver.close();
    }
  });

  it('throws LatchkeyApiError with the server code, status and parameter', async () => {
    const latchkey = createLatchkeyClient({ secretKey: SECRET_KEY, apiUrl });
    const err = await latchkey.webhooks.getEndpoint('ep_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LatchkeyApiError);
    expect(err).toMatchObject({ status: 404, code: 'resource_not_found' });
    const bad = (await latchkey.webhooks.createEndpoint({ url: 'nope' }).catch((e: unknown) => e)) as LatchkeyApiError;
    expect(bad).toMatchObject({ status: 422, code: 'form_param_format_invalid' });
    expect(bad.errors[0]!.meta.paramName).toBe('url');
    const wrongKey = createLatchkeyClient({ secretKey: `sk_test_${'x'.repeat(40)}`, apiUrl });
    expect(await wrongKey.webhooks.listEndpoints().catch((e: unknown) => e)).toMatchObject({ status: 401, code: 'authentication_invalid' });
  });

  it('refuses a publishable key at set-up, before any request', () => {
    expect(() => createLatchkeyClient({ secretKey: 'pk_test_bG9jYWxob3N0JA', apiUrl: 'http://localhost:4000' })).toThrow(/secret key/);
  });
});

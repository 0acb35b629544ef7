/**
 * The client's users, passkeys and sessions namespaces against the real backend API (issue 11's
 * routes, `packages/server/src/bapi/app.ts`, with real secret keys). It also checks that the webhook routes (bapi/webhooks.ts) are mounted in the
 * backend API, and that the backend API's flows emit their webhook events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { SoftwareAuthenticator } from '../../server/test/support/authenticator.js';
import { expectError, signUp } from '../../server/test/support/flows.js';
import { DEV_ORIGIN, TestBrowser, testConfig } from '../../server/test/support/harness.js';
import { remote } from '../../server/test/support/process.js';
import { WebhookReceiver } from '../../server/test/support/webhook-receiver.js';
import { authenticateRequest, createLatchkeyClient, createTokenVerifier, ERROR_CODES, LatchkeyApiError, type LatchkeyClient } from './index.js';

describe('createLatchkeyClient against the backend API', () => {
  let server: RunningServer;
  let latchkey: LatchkeyClient;
  const browser = () => new TestBrowser(remote(() => server.url), DEV_ORIGIN, 'test');
  const codeOf = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LatchkeyApiError);
    return { status: (err as LatchkeyApiError).status, code: (err as LatchkeyApiError).code };
  };

  beforeAll(async () => {
    server = await startServer(testConfig({ port: 0 }), { log: () => {} });
    // The secret-key service of the backend-API branch (not in this branch's Deps type).
    const { key } = await (server.deps as any).secretKeys.create('client tests');
    latchkey = createLatchkeyClient({ secretKey: key, apiUrl: server.url });
  });
  afterAll(() => server?.close());

  it('users: create, get, search, update metadata, ban and unban, delete', async () => {
    const made = await latchkey.users.create({ username: 'clienta', email_address: 'clienta@example.com', public_metadata: { plan: 'pro' } });
    expect(made).toMatchObject({ object: 'user', username: 'clienta', public_metadata: { plan: 'pro' }, banned: false });
    expect((await latchkey.users.get(made.id)).email_addresses[0]!.email_address).toBe('clienta@example.com');
    expect((await latchkey.users.list({ query: 'clienta' })).data.map((u) => u.id)).toEqual([made.id]);
    expect((await latchkey.users.update(made.id, { private_metadata: { note: 'vip' } })).private_metadata).toEqual({ note: 'vip' });
    expect((await latchkey.users.ban(made.id)).banned).toBe(true);
    expect((await latchkey.users.unban(made.id)).banned).toBe(false);
    expect(await latchkey.users.delete(made.id)).toEqual({ object: 'user', id: made.id, deleted: true });
    expect(await codeOf(latchkey.users.get(made.id))).toEqual({ status: 404, code: 'resource_not_found' });
    const bad = (await latchkey.users.create({ email_address: 'not-an-email' }).catch((e: unknown) => e)) as LatchkeyApiError;
    expect(bad).toMatchObject({ status: 422, code: 'form_param_format_invalid' });
    expect(bad.errors[0]!.meta.paramName).toBe('email_address');
  });

  it("passkeys: a user's passkeys listed and deleted", async () => {
    const { userId } = await signUp(browser(), new SoftwareAuthenticator(), { username: 'clientpk' });
    const { data } = await latchkey.passkeys.list(userId);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ object: 'passkey', device_type: expect.any(String) });
    expect(await latchkey.passkeys.delete(userId, data[0]!.id)).toMatchObject({ id: data[0]!.id, deleted: true });
    expect((await latchkey.passkeys.list(userId)).data).toEqual([]);
  });

  it('sessions: list by user, mint a token the app verifies, revoke, and the browser is signed out', async () => {
    const b = browser();
    const { userId, sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'clientsess' });
    expect((await latchkey.sessions.list({ user_id: userId, status: 'active' })).data.map((s) => s.id)).toEqual([sessionId]);
    const { jwt } = await latchkey.sessions.createToken(sessionId);
    const verify = createTokenVerifier({ jwksUrl: `${server.url}/.well-known/jwks.json` });
    const auth = await authenticateRequest(new Request('http://app.test/', { headers: { authorization: `Bearer ${jwt}` } }), verify);
    expect(auth).toMatchObject({ signedIn: true, userId, sessionId });
    expect((await latchkey.sessions.revoke(sessionId)).status).toBe('revoked');
    expect((await latchkey.sessions.get(sessionId)).status).toBe('revoked');
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens`), 401, 'signed_out');
  });

  it('a wrong or publishable key is refused with a typed error', async () => {
    const wrong = createLatchkeyClient({ secretKey: `sk_test_${'z'.repeat(43)}`, apiUrl: server.url });
    const refused = await codeOf(wrong.users.list());
    expect(refused.status).toBe(401);
    expect(ERROR_CODES).toContain(refused.code);
  });

  it('webhooks: the routes are mounted, and backend-API changes send their events', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const endpoint = await latchkey.webhooks.createEndpoint({ url: receiver.url, event_types: ['user.created', 'user.updated', 'user.deleted', 'session.revoked'] });
      receiver.secret = endpoint.secret;
      const user = await latchkey.users.create({ username: 'hooked' });
      await latchkey.users.update(user.id, { public_metadata: { a: 1 } });
      const b = browser();
      const signedUp = await signUp(b, new SoftwareAuthenticator(), { username: 'hooked2' });
      await latchkey.sessions.revoke(signedUp.sessionId);
      await latchkey.users.delete(user.id);
      const got = await receiver.count(5);
      expect(got.every((r) => r.verified)).toBe(true);
      expect(got.map((r) => r.event!.type).sort()).toEqual(['session.revoked', 'user.created', 'user.created', 'user.deleted', 'user.updated']);
    } finally {
      await receiver.down();
    }
  });
});

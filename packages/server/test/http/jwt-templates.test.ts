/**
 * JWT templates: `session.getToken({ template })` → `POST /v1/client/sessions/{sid}/tokens/{name}`
 * answers a token with the template's claims, lifetime and skew, signed with the instance key
 * (JWKS) or the template's HS256 secret. Templates are managed through the JwtTemplates service
 * (the CLI and, later, the backend API are thin layers over it).
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtTemplatesCommand } from '../../src/jwt-templates/cli.js';
import { JwtTemplates } from '../../src/jwt-templates/service.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { expectError, expectOk, signUp } from '../support/flows.js';
import { createTestServer, DEV_ORIGIN, type TestServer } from '../support/harness.js';

async function signedIn(server: TestServer) {
  const b = server.browser();
  const { sessionId, userId } = await signUp(b, new SoftwareAuthenticator(), { username: 'rae', email_address: 'rae@example.com' });
  return { b, sessionId, userId };
}

describe('minting from a template', () => {
  it('renders the shortcodes and signs with the instance key, verifiable with the JWKS', async () => {
    const server = await createTestServer();
    const templates = new JwtTemplates(server.deps);
    await templates.create({
      name: 'convex',
      claims: { aud: 'convex', email: '{{user.primary_email_address}}', name: 'user {{user.username}}', meta: '{{user.public_metadata}}' },
      lifetime: 120,
      allowed_clock_skew: 10,
    });
    const { b, sessionId, userId } = await signedIn(server);
    const { jwt, object } = expectOk(await b.post(`/__clerk/v1/client/sessions/${sessionId}/tokens/convex`));
    expect(object).toBe('token');
    const jwks = createLocalJWKSet(await server.deps.keys.publicJwks());
    const { payload, protectedHeader } = await jwtVerify(jwt, jwks, { audience: 'convex', issuer: 'http://localhost:4000', currentDate: new Date(server.clock.now()) });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: userId, azp: DEV_ORIGIN, email: 'rae@example.com', name: 'user rae', meta: {} });
    expect(payload.exp! - payload.iat!).toBe(120);
    expect(payload.iat! - payload.nbf!).toBe(10);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(payload.sid).toBeUndefined();
  });

  it('signs HS256 with the template secret (generated and shown once, or given)', async () => {
    const server = await createTestServer();
    const templates = new JwtTemplates(server.deps);
    const made = await templates.create({ name: 'hasura', claims: { 'https://hasura.io/jwt/claims': { 'x-hasura-user-id': '{{user.id}}' } }, signing_algorithm: 'HS256' });
    expect(made.signingKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.template).toMatchObject({ custom_signing_key: true, signing_algorithm: 'HS256' });
    expect(JSON.stringify(await templates.list())).not.toContain(made.signingKey);
    const given = 's'.repeat(40);
    await templates.create({ name: 'supabase', claims: { role: 'authenticated' }, signing_algorithm: 'HS256', signing_key: given });
    const { b, sessionId, userId } = await signedIn(server);
    const at = new Date(server.clock.now());
    const hasura = expectOk(await b.post(`/v1/client/sessions/${sessionId}/tokens/hasura`)).jwt;
    expect(decodeProtectedHeader(hasura)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(hasura, new TextEncoder().encode(made.signingKey), { algorithms: ['HS256'], currentDate: at });
    expect(payload['https://hasura.io/jwt/claims']).toEqual({ 'x-hasura-user-id': userId });
    const supabase = expectOk(await b.post(`/v1/client/sessions/${sessionId}/tokens/supabase`)).jwt;
    await expect(jwtVerify(supabase, new TextEncoder().encode(given), { currentDate: at })).resolves.toBeTruthy();
    // Another template's secret does not verify it.
    await expect(jwtVerify(supabase, new TextEncoder().encode(made.signingKey), { currentDate: at })).rejects.toThrow(/signature/);
  });

  it('refuses an unknown template, a signed-out caller and another browser', async () => {
    const server = await createTestServer();
    await new JwtTemplates(server.deps).create({ name: 'convex', claims: { aud: 'convex' } });
    const { b, sessionId } = await signedIn(server);
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens/nope`), 404, 'resource_not_found');
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens/${'x'.repeat(100)}`), 404, 'resource_not_found');
    expectError(await server.browser().post(`/v1/client/sessions/${sessionId}/tokens/convex`), 401, 'signed_out');
    expectOk(await b.post(`/v1/client/sessions/${sessionId}/end`));
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens/convex`), 401, 'signed_out');
  });
});

describe('managing templates', () => {
  it('refuses bad input with the parameter at fault, and duplicate names', async () => {
    const server = await createTestServer();
    const t = new JwtTemplates(server.deps);
    const refused = async (input: Record<string, unknown>, code: string, param: string) => {
      const err = await t.create(input).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code, meta: { param_name: param } });
      return err as { longMessage: string };
    };
    expect((await refused({ name: 'x', claims: { sub: 'me' } }, 'form_param_format_invalid', 'claims')).longMessage).toMatch(/sub are set by Latchkey/);
    expect((await refused({ name: 'x', claims: { a: '{{user.secret}}' } }, 'form_param_format_invalid', 'claims')).longMessage).toMatch(/Unknown shortcode/);
    await refused({ name: 'x' }, 'form_param_format_invalid', 'claims');
    await refused({ name: 'a b', claims: {} }, 'form_param_format_invalid', 'name');
    await refused({ name: 'x', claims: {}, lifetime: 5 }, 'form_param_format_invalid', 'lifetime');
    await refused({ name: 'x', claims: {}, allowed_clock_skew: 3600 }, 'form_param_format_invalid', 'allowed_clock_skew');
    await refused({ name: 'x', claims: {}, signing_algorithm: 'HS256', signing_key: 'short' }, 'form_param_format_invalid', 'signing_key');
    await refused({ name: 'x', claims: {}, signing_key: 's'.repeat(40) }, 'form_param_format_invalid', 'signing_key');
    await refused({ name: 'x', claims: {}, signing_algorithm: 'none' }, 'form_param_format_invalid', 'signing_algorithm');
    await t.create({ name: 'x', claims: {} });
    await refused({ name: 'x', claims: {} }, 'jwt_template_exists', 'name');
  });

  it('updates claims and lifetime, and deletes: the next token follows, a deleted template is gone', async () => {
    const server = await createTestServer();
    const t = new JwtTemplates(server.deps);
    await t.create({ name: 'firebase', claims: { aud: 'a' } });
    const updated = await t.update('firebase', { claims: { aud: 'b' }, lifetime: 300 });
    expect(updated).toMatchObject({ name: 'firebase', claims: { aud: 'b' }, lifetime: 300, allowed_clock_skew: 5, signing_algorithm: 'ES256' });
    await expect(t.update('firebase', { claims: { iss: 'x' } })).rejects.toMatchObject({ code: 'form_param_format_invalid' });
    const { b, sessionId } = await signedIn(server);
    const { payload } = await jwtVerify(expectOk(await b.post(`/v1/client/sessions/${sessionId}/tokens/firebase`)).jwt, createLocalJWKSet(await server.deps.keys.publicJwks()), {
      audience: 'b',
      currentDate: new Date(server.clock.now()),
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(await t.delete('firebase')).toEqual({ object: 'jwt_template', name: 'firebase', deleted: true });
    await expect(t.delete('firebase')).rejects.toMatchObject({ code: 'resource_not_found' });
    await expect(t.update('firebase', { lifetime: 60 })).rejects.toMatchObject({ code: 'resource_not_found' });
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens/firebase`), 404, 'resource_not_found');
    expect(await t.list()).toEqual([]);
  });
});

describe('latchkey jwt-templates (the CLI layer over the service)', () => {
  async function run(t: JwtTemplates, ...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await jwtTemplatesCommand(args, t, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('creates, lists, updates and deletes, printing JSON; an HS256 key is printed once', async () => {
    const server = await createTestServer();
    const t = new JwtTemplates(server.deps);
    const made = await run(t, 'create', 'convex', '--claims', '{"aud":"convex"}', '--lifetime', '120', '--clock-skew', '3');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({ name: 'convex', claims: { aud: 'convex' }, lifetime: 120, allowed_clock_skew: 3 });
    const hs = await run(t, 'create', 'hasura', '--claims', '{}', '--hs256');
    expect(hs.out).toMatch(/HS256 signing key \(shown once[^:]*\): [A-Za-z0-9_-]{43}$/);
    expect(JSON.parse((await run(t, 'list')).out).map((x: { name: string }) => x.name)).toEqual(['convex', 'hasura']);
    expect(JSON.parse((await run(t, 'update', 'convex', '--lifetime', '90')).out).lifetime).toBe(90);
    expect(JSON.parse((await run(t, 'get', 'convex')).out).lifetime).toBe(90);
    expect((await run(t, 'delete', 'hasura')).code).toBe(0);
    expect(JSON.parse((await run(t, 'list')).out)).toHaveLength(1);
  });

  it('answers service refusals with exit 1 and usage mistakes with exit 2, never a stack trace', async () => {
    const server = await createTestServer();
    const t = new JwtTemplates(server.deps);
    expect(await run(t, 'create', 'x', '--claims', '{"sub":"me"}')).toMatchObject({ code: 1, err: expect.stringMatching(/form_param_format_invalid, claims/) });
    expect(await run(t, 'create', 'x', '--claims', '{}', '--lifetime', 'soon')).toMatchObject({ code: 1, err: expect.stringMatching(/lifetime/) });
    expect(await run(t, 'delete', 'missing')).toMatchObject({ code: 1, err: expect.stringMatching(/resource_not_found/) });
    for (const args of [['create', 'x', '--claims', '{oops'], ['frobnicate'], [], ['get'], ['list', '--bogus'], ['get', 'a', 'b']]) {
      const r = await run(t, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/Usage:/);
      expect(r.err).not.toMatch(/at .*\.[jt]s:\d+/);
    }
  });
});

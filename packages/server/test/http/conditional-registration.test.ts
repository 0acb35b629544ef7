/**
 * The automatic passkey upgrade (`POST /v1/me/passkeys` with `mediation=conditional`): a
 * conditionally created credential may come without user presence and without user verification
 * (WebAuthn §5.1.3), and only a registration started as conditional accepts that. Ordinary
 * registration keeps both checks; a recovery session may not register conditionally.
 */
import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator, type RegistrationTamper } from '../support/authenticator.js';
import { expectError, expectOk, signInDiscoverable, signUp } from '../support/flows.js';
import { createTestServer, DEV_ORIGIN, type TestBrowser } from '../support/harness.js';

/** What a password manager's conditional create answers: neither UP nor UV. */
const SILENT: RegistrationTamper = { flags: { up: false, uv: false } };

async function signedIn(username: string) {
  const server = await createTestServer(); // userVerification: 'required' (the default)
  const b = server.browser();
  const { sessionId, userId } = await signUp(b, new SoftwareAuthenticator(), { username });
  return { server, b, sessionId, userId };
}

async function add(b: TestBrowser, sessionId: string, o: { params?: Record<string, unknown>; tamper?: RegistrationTamper; auth?: SoftwareAuthenticator } = {}) {
  const q = `?_clerk_session_id=${sessionId}`;
  const pending = expectOk(await b.post(`/v1/me/passkeys${q}`, o.params ?? {})).response;
  const options = JSON.parse(pending.verification.nonce);
  const credential = await (o.auth ?? new SoftwareAuthenticator()).create(options, { origin: DEV_ORIGIN, tamper: o.tamper ?? {} });
  const res = await b.post(`/v1/me/passkeys/${pending.id}/attempt_verification${q}`, { strategy: 'passkey', public_key_credential: credential });
  return { options, res };
}

describe('conditional registration (mediation=conditional)', () => {
  it('accepts a credential without UP and UV, audits it as conditional, and the passkey then signs in with UV', async () => {
    const { server, b, sessionId, userId } = await signedIn('ada');
    const auth = new SoftwareAuthenticator();
    const { options, res } = await add(b, sessionId, { params: { mediation: 'conditional' }, tamper: SILENT, auth });
    // A conditional create cannot verify the user; the options do not ask for it.
    expect(options.authenticatorSelection.userVerification).toBe('preferred');
    const passkey = expectOk(res).response;
    expect(passkey.verification.status).toBe('verified');
    const audit = await server.deps.store.db
      .selectFrom('audit_events')
      .select('data')
      .where('type', '=', 'passkey.created')
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.data)).toMatchObject({ passkey_id: passkey.id, conditional: true });

    // Signing in with it still needs UV (the setting applies to every sign-in)…
    expectOk(await b.post('/v1/client/sessions?_method=DELETE'));
    expect(await signInDiscoverable(server.browser(), auth)).toMatch(/^sess_/);
  });

  it('does not weaken ordinary registration: without mediation, UP=0 or UV=0 is still refused', async () => {
    const { b, sessionId } = await signedIn('bea');
    for (const tamper of [{ flags: { up: false } }, { flags: { uv: false } }, SILENT]) {
      const { options, res } = await add(b, sessionId, { tamper });
      expect(options.authenticatorSelection.userVerification).toBe('required');
      expectError(res, 400, 'passkey_registration_failure');
    }
    // The flag belongs to the registration the server started, not to anything the attempt says.
    const q = `?_clerk_session_id=${sessionId}`;
    const pending = expectOk(await b.post(`/v1/me/passkeys${q}`)).response;
    const credential = await new SoftwareAuthenticator().create(JSON.parse(pending.verification.nonce), { origin: DEV_ORIGIN, tamper: SILENT });
    const attempt = { strategy: 'passkey', public_key_credential: credential, mediation: 'conditional' };
    expectError(await b.post(`/v1/me/passkeys/${pending.id}/attempt_verification${q}`, attempt), 400, 'passkey_registration_failure');
    expect(expectOk(await b.get(`/v1/me${q}`)).response.passkeys).toHaveLength(1);
  });

  it('validates the parameter: any other mediation is form_param_format_invalid; JSON bodies work', async () => {
    const { b, sessionId } = await signedIn('cyd');
    const q = `?_clerk_session_id=${sessionId}`;
    for (const mediation of ['required', 'optional', 'silent', 'CONDITIONAL', 'conditional ']) {
      const e = expectError(await b.post(`/v1/me/passkeys${q}`, { mediation }), 422, 'form_param_format_invalid');
      expect(e.meta.param_name).toBe('mediation');
    }
    const json = expectOk(await b.request('POST', `/v1/me/passkeys${q}`, { mediation: 'conditional' }, { json: true })).response;
    expect(JSON.parse(json.verification.nonce).authenticatorSelection.userVerification).toBe('preferred');
    // Unknown parameters are still ignored (Clerk's SDK adds its own).
    expectOk(await b.post(`/v1/me/passkeys${q}`, { locale: 'en' }));
  });

  it('refuses it to a session signed in with a recovery code (session_recovery_limited), which still adds one with a prompt', async () => {
    const server = await createTestServer({ settings: { recoveryCodes: true } });
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'dee' });
    const codes = expectOk(await b.post(`/v1/me/recovery_codes?_clerk_session_id=${sessionId}`)).response.codes as string[];
    expectOk(await b.post('/v1/client/sessions?_method=DELETE'));
    const signIn = expectOk(await b.post('/v1/client/sign_ins', { identifier: 'dee' })).response;
    const done = expectOk(await b.post(`/v1/client/sign_ins/${signIn.id}/attempt_first_factor`, { strategy: 'recovery_code', code: codes[0] })).response;
    const sid = done.created_session_id as string;

    expectError(await b.post(`/v1/me/passkeys?_clerk_session_id=${sid}`, { mediation: 'conditional' }), 403, 'session_recovery_limited');
    const { res } = await add(b, sid);
    expect(expectOk(res).client.sessions.find((s: { id: string }) => s.id === sid)).toMatchObject({ status: 'active' });
  });
});

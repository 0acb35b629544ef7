import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isLatchkeyRuntimeError } from './errors.js';
import { Latchkey } from './latchkey.js';
import { isWebAuthnConditionalCreateSupported } from './webauthn/support.js';
import { jwtValidFor } from './test-support/fake-jwt.js';
import type { SignInJSON, SignUpJSON } from './resources/wire.js';
import { clientJSON, fakeFetch, passkeyJSON, sessionJSON, userJSON, type Route } from './test-support/fake-fetch.js';

const environment = {
  user_settings: { attributes: { passkey: { enabled: true } }, passkey_settings: { allow_autofill: false, show_sign_in_button: true } },
  display_config: { application_name: 'Demo' },
};
const signedOut: Record<string, Route> = {
  'GET /v1/environment': () => ({ body: environment }),
  'GET /v1/client': () => ({ body: { response: null, client: null } }),
};
const signedIn = (): Record<string, Route> => {
  const client = clientJSON({ sessions: [sessionJSON()], last_active_session_id: 'sess_1' });
  return { 'GET /v1/environment': () => ({ body: environment }), 'GET /v1/client': () => ({ body: { response: client, client } }) };
};

function setup(routes: Record<string, Route>): { latchkey: Latchkey; seen: ReturnType<typeof fakeFetch>['seen'] } {
  const { fetch, seen } = fakeFetch(routes);
  return { latchkey: new Latchkey(undefined, { frontendApi: 'http://localhost:4000', fetch }), seen };
}

const requestOptions = JSON.stringify({ challenge: 'AQID', rpId: 'localhost', allowCredentials: [], userVerification: 'preferred' });

// Test doubles of the browser's WebAuthn globals (no browser in unit tests; e2e covers real ones).
function stubWebAuthn(): { get: ReturnType<typeof vi.fn>; create: ReturnType<typeof vi.fn> } {
  const cred = (response: Record<string, unknown>) => ({
    id: 'AQID',
    rawId: new Uint8Array([1, 2, 3]).buffer,
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response,
    getClientExtensionResults: () => ({}),
  });
  const get = vi.fn(async () =>
    cred({ clientDataJSON: new Uint8Array([1]).buffer, authenticatorData: new Uint8Array([2]).buffer, signature: new Uint8Array([3]).buffer, userHandle: null }),
  );
  const create = vi.fn(async () =>
    cred({ clientDataJSON: new Uint8Array([1]).buffer, attestationObject: new Uint8Array([4]).buffer, getTransports: () => ['internal'] }),
  );
  vi.stubGlobal('PublicKeyCredential', class {});
  vi.stubGlobal('navigator', { credentials: { get, create } });
  return { get, create };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('load', () => {
  it('signed out: loaded, no session, an empty sign-in ready to create', async () => {
    const { latchkey } = setup(signedOut);
    const listener = vi.fn();
    latchkey.addListener(listener);
    expect(latchkey.session).toBeUndefined();
    await latchkey.load();
    expect(latchkey.loaded).toBe(true);
    expect(latchkey.session).toBeNull();
    expect(latchkey.user).toBeNull();
    expect(latchkey.isSignedIn).toBe(false);
    expect(latchkey.signIn?.status).toBeNull();
    expect(latchkey.environment?.userSettings.passkeySettings).toEqual({ allowAutofill: false, showSignInButton: true });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('resumes the last active session, using its last_active_token instead of a token request', async () => {
    const { latchkey, seen } = setup(signedIn());
    await latchkey.load();
    expect(latchkey.session?.id).toBe('sess_1');
    const user = latchkey.user!;
    expect(user.primaryEmailAddress?.emailAddress).toBe('ada@example.com');
    expect(user.passkeys[0]).toMatchObject({ id: 'pk_1', providerName: 'Google Password Manager', lastUsedAt: null });
    expect(user.createdAt).toEqual(new Date(1_700_000_000_000));
    expect(await latchkey.session?.getToken()).toMatch(/\.sig$/);
    expect(seen.map((r) => r.path)).not.toContain('/v1/client/sessions/sess_1/tokens');
  });
});

describe('piggy-backed client', () => {
  it('a passkey rename updates the passkey in place and the user seen by listeners', async () => {
    const renamed = passkeyJSON({ name: 'Work laptop', updated_at: 1_700_000_100_000 });
    const after = clientJSON({
      sessions: [sessionJSON({ user: userJSON({ passkeys: [renamed], updated_at: 1_700_000_100_000 }) })],
      last_active_session_id: 'sess_1',
    });
    const { latchkey, seen } = setup({ ...signedIn(), 'PATCH /v1/me/passkeys/pk_1': () => ({ body: { response: renamed, client: after } }) });
    await latchkey.load();
    const listener = vi.fn();
    latchkey.addListener(listener);
    const passkey = latchkey.user!.passkeys[0]!;
    const result = await passkey.update({ name: 'Work laptop' });

    expect(result).toBe(passkey);
    expect(passkey.name).toBe('Work laptop');
    const req = seen.at(-1)!;
    expect(req.httpMethod).toBe('POST');
    expect(req.query.get('_method')).toBe('PATCH');
    expect(req.query.get('_clerk_session_id')).toBe('sess_1');
    expect(req.form.get('name')).toBe('Work laptop');
    expect(latchkey.user?.passkeys[0]?.name).toBe('Work laptop');
    expect(latchkey.user?.updatedAt).toEqual(new Date(1_700_000_100_000));
    expect(listener).toHaveBeenCalledTimes(2); // once on subscribe, once for the new client
  });

  it('delete answers the deleted object', async () => {
    const after = clientJSON({ sessions: [sessionJSON({ user: userJSON({ passkeys: [] }) })], last_active_session_id: 'sess_1' });
    const { latchkey } = setup({
      ...signedIn(),
      'DELETE /v1/me/passkeys/pk_1': () => ({ body: { response: { object: 'passkey', id: 'pk_1', deleted: true }, client: after } }),
    });
    await latchkey.load();
    expect(await latchkey.user!.passkeys[0]!.delete()).toEqual({ object: 'passkey', id: 'pk_1', deleted: true });
    expect(latchkey.user?.passkeys).toEqual([]);
  });
});

describe('sign-in, setActive, signOut', () => {
  it('discoverable flow: create → get → attempt → setActive → signOut', async () => {
    const { get } = stubWebAuthn();
    const started: SignInJSON = { object: 'sign_in', id: 'sia_1', status: 'needs_first_factor', identifier: null, supported_first_factors: [{ strategy: 'passkey' }], first_factor_verification: { status: 'unverified', strategy: 'passkey', nonce: requestOptions }, created_session_id: null };
    const done: SignInJSON = { ...started, status: 'complete', created_session_id: 'sess_1' };
    const withSession = clientJSON({ sessions: [sessionJSON({ last_active_token: null })], sign_in: done });
    const ended = clientJSON({ sessions: [sessionJSON({ status: 'ended' })] });
    const minted = jwtValidFor(60);
    const { latchkey, seen } = setup({
      ...signedOut,
      'POST /v1/client/sign_ins': () => ({ body: { response: started, client: clientJSON({ sign_in: started }) } }),
      'POST /v1/client/sign_ins/sia_1/attempt_first_factor': () => ({ body: { response: done, client: withSession } }),
      'POST /v1/client/sessions/sess_1/touch': () => ({ body: { response: sessionJSON({ last_active_token: null }), client: withSession } }),
      'POST /v1/client/sessions/sess_1/tokens': () => ({ body: { object: 'token', jwt: minted } }),
      'DELETE /v1/client/sessions': () => ({ body: { response: clientJSON(), client: ended } }),
    });
    await latchkey.load();

    const attempt = await latchkey.signIn!.authenticateWithPasskey({ flow: 'discoverable' });
    expect(seen.find((r) => r.path === '/v1/client/sign_ins')?.form.get('strategy')).toBe('passkey');
    const options = (get.mock.calls[0] as unknown as [CredentialRequestOptions])[0];
    expect(options.mediation).toBeUndefined();
    expect([...new Uint8Array(options.publicKey!.challenge as ArrayBuffer)]).toEqual([1, 2, 3]);
    const sent = JSON.parse(seen.at(-1)!.form.get('public_key_credential')!) as { rawId: string; response: Record<string, string> };
    expect(sent).toMatchObject({ rawId: 'AQID', response: { clientDataJSON: 'AQ', authenticatorData: 'Ag', signature: 'Aw' } });
    expect(attempt.status).toBe('complete');
    expect(latchkey.isSignedIn).toBe(false); // not until setActive, as in Clerk

    await latchkey.setActive({ session: attempt.createdSessionId });
    expect(latchkey.session?.id).toBe('sess_1');
    expect(await latchkey.session?.getToken()).toBe(minted);
    expect(seen.filter((r) => r.path.endsWith('/tokens'))).toHaveLength(1); // setActive minted it, getToken reused it

    // Clerk's signOut(): every session of this browser ends.
    await latchkey.signOut();
    expect(seen.at(-1)?.path).toBe('/v1/client/sessions');
    expect(seen.at(-1)?.method).toBe('DELETE');
    expect(latchkey.session).toBeNull();
  });

  it('autofill flow asks for conditional mediation', async () => {
    const { get } = stubWebAuthn();
    vi.stubGlobal('PublicKeyCredential', Object.assign(class {}, { isConditionalMediationAvailable: async () => true }));
    const started: SignInJSON = { object: 'sign_in', id: 'sia_1', status: 'needs_first_factor', identifier: null, first_factor_verification: { status: 'unverified', strategy: 'passkey', nonce: requestOptions }, created_session_id: null };
    const { latchkey } = setup({
      ...signedOut,
      'POST /v1/client/sign_ins': () => ({ body: { response: started, client: clientJSON({ sign_in: started }) } }),
      'POST /v1/client/sign_ins/sia_1/attempt_first_factor': () => ({ body: { response: { ...started, status: 'complete', created_session_id: 'sess_9' }, client: clientJSON() } }),
    });
    await latchkey.load();
    const attempt = await latchkey.signIn!.authenticateWithPasskey({ flow: 'autofill' });
    expect((get.mock.calls[0] as unknown as [CredentialRequestOptions])[0].mediation).toBe('conditional');
    expect(attempt.createdSessionId).toBe('sess_9');
  });

  it('identifier-first flow prepares the first factor of the existing sign-in', async () => {
    stubWebAuthn();
    const base: SignInJSON = { object: 'sign_in', id: 'sia_2', status: 'needs_first_factor', identifier: 'ada', supported_first_factors: [{ strategy: 'passkey' }], first_factor_verification: null, created_session_id: null };
    const prepared: SignInJSON = { ...base, first_factor_verification: { status: 'unverified', strategy: 'passkey', nonce: requestOptions } };
    const { latchkey, seen } = setup({
      ...signedOut,
      'POST /v1/client/sign_ins': () => ({ body: { response: base, client: clientJSON({ sign_in: base }) } }),
      'POST /v1/client/sign_ins/sia_2/prepare_first_factor': () => ({ body: { response: prepared, client: clientJSON({ sign_in: prepared }) } }),
      'POST /v1/client/sign_ins/sia_2/attempt_first_factor': () => ({ body: { response: { ...prepared, status: 'complete', created_session_id: 'sess_2' }, client: clientJSON() } }),
    });
    await latchkey.load();
    const signIn = latchkey.signIn!;
    await signIn.create({ identifier: 'ada' });
    expect(seen.at(-1)?.form.get('identifier')).toBe('ada');
    const attempt = await signIn.authenticateWithPasskey();
    expect(seen.map((r) => r.path).slice(-2)).toEqual(['/v1/client/sign_ins/sia_2/prepare_first_factor', '/v1/client/sign_ins/sia_2/attempt_first_factor']);
    expect(attempt.status).toBe('complete');
  });

  it('refuses autofill where the browser lacks it, before creating a sign-in', async () => {
    stubWebAuthn();
    const { latchkey, seen } = setup(signedOut);
    await latchkey.load();
    await expect(latchkey.signIn!.authenticateWithPasskey({ flow: 'autofill' })).rejects.toMatchObject({ code: 'passkey_not_supported' });
    expect(seen.filter((r) => r.httpMethod === 'POST')).toEqual([]);
  });

  it('refuses the default flow before a sign-in exists', async () => {
    stubWebAuthn();
    const { latchkey } = setup(signedOut);
    await latchkey.load();
    await expect(latchkey.signIn!.authenticateWithPasskey()).rejects.toMatchObject({ code: 'invalid_usage' });
  });
});

describe('session token upkeep', () => {
  it('fetches a new token shortly before the current one expires', async () => {
    const minted = jwtValidFor(120);
    const { latchkey, seen } = setup({ ...signedIn(), 'POST /v1/client/sessions/sess_1/tokens': () => ({ body: { object: 'token', jwt: minted } }) });
    await latchkey.load(); // last_active_token is valid for 60 s
    expect(seen.some((r) => r.path.endsWith('/tokens'))).toBe(false);
    await vi.advanceTimersByTimeAsync(51_000);
    expect(seen.filter((r) => r.path.endsWith('/tokens'))).toHaveLength(1);
  });

  it('signs out locally when the server already ended the session', async () => {
    const { latchkey } = setup({
      ...signedIn(),
      'POST /v1/client/sessions/sess_1/end': () => ({ status: 401, body: { errors: [{ code: 'signed_out', message: 'Signed out' }] } }),
    });
    await latchkey.load();
    await latchkey.signOut({ sessionId: 'sess_1' });
    expect(latchkey.session).toBeNull();
  });
});

describe('registration', () => {
  const creation = JSON.stringify({ rp: { id: 'localhost', name: 'Demo' }, user: { id: 'AQ', name: 'ada', displayName: 'ada' }, challenge: 'AQID', pubKeyCredParams: [{ type: 'public-key', alg: -7 }] });

  it('signUp.createWithPasskey: create → prepare → create credential → attempt', async () => {
    const { create } = stubWebAuthn();
    const su: SignUpJSON = { object: 'sign_up', id: 'sua_1', status: 'missing_requirements', username: 'ada', email_address: null, verifications: { passkey: null }, created_session_id: null };
    const prepared: SignUpJSON = { ...su, verifications: { passkey: { status: 'unverified', strategy: 'passkey', nonce: creation } } };
    const done: SignUpJSON = { ...prepared, status: 'complete', created_session_id: 'sess_1', created_user_id: 'user_1' };
    const { latchkey, seen } = setup({
      ...signedOut,
      'POST /v1/client/sign_ups': () => ({ body: { response: su, client: clientJSON({ sign_up: su }) } }),
      'POST /v1/client/sign_ups/sua_1/prepare_verification': () => ({ body: { response: prepared, client: clientJSON({ sign_up: prepared }) } }),
      'POST /v1/client/sign_ups/sua_1/attempt_verification': () => ({ body: { response: done, client: clientJSON({ sign_up: done }) } }),
    });
    await latchkey.load();
    const signUp = await latchkey.signUp!.createWithPasskey({ username: 'ada', emailAddress: 'ada@example.com' });
    expect(seen[2]?.form.toString()).toBe('username=ada&email_address=ada%40example.com');
    expect(seen[3]?.form.get('strategy')).toBe('passkey');
    expect(create).toHaveBeenCalledOnce();
    expect(JSON.parse(seen[4]!.form.get('public_key_credential')!)).toMatchObject({ response: { attestationObject: 'BA', transports: ['internal'] } });
    expect(signUp).toMatchObject({ status: 'complete', createdSessionId: 'sess_1', createdUserId: 'user_1' });
  });

  it('user.createPasskey: POST /v1/me/passkeys, create credential, attempt_verification', async () => {
    stubWebAuthn();
    const pending = passkeyJSON({ id: 'pk_2', name: null, verification: { status: 'unverified', strategy: 'passkey', nonce: creation, attempts: 0, expire_at: null } });
    const verified = passkeyJSON({ id: 'pk_2', name: 'iCloud Keychain' });
    const { latchkey, seen } = setup({
      ...signedIn(),
      'POST /v1/me/passkeys': () => ({ body: { response: pending, client: clientJSON({ sessions: [sessionJSON()], last_active_session_id: 'sess_1' }) } }),
      'POST /v1/me/passkeys/pk_2/attempt_verification': () => ({ body: { response: verified, client: clientJSON({ sessions: [sessionJSON()], last_active_session_id: 'sess_1' }) } }),
    });
    await latchkey.load();
    const passkey = await latchkey.user!.createPasskey();
    expect(passkey).toMatchObject({ id: 'pk_2', name: 'iCloud Keychain' });
    expect(seen.at(-2)?.query.get('_clerk_session_id')).toBe('sess_1');
    expect(seen.at(-1)?.form.get('strategy')).toBe('passkey');
  });

  describe("user.createPasskey({ mediation: 'conditional' }) (the automatic upgrade)", () => {
    const withCapabilities = (caps: Record<string, boolean> | null) =>
      vi.stubGlobal('PublicKeyCredential', Object.assign(class {}, caps ? { getClientCapabilities: async () => caps } : {}));
    const routes = () => {
      const pending = passkeyJSON({ id: 'pk_3', name: null, verification: { status: 'unverified', strategy: 'passkey', nonce: creation, attempts: 0, expire_at: null } });
      const client = clientJSON({ sessions: [sessionJSON()], last_active_session_id: 'sess_1' });
      return {
        ...signedIn(),
        'POST /v1/me/passkeys': () => ({ body: { response: pending, client } }),
        'POST /v1/me/passkeys/pk_3/attempt_verification': () => ({ body: { response: passkeyJSON({ id: 'pk_3', name: 'Google Password Manager' }), client } }),
      };
    };

    it('asks the browser for conditional mediation and tells the server (mediation=conditional)', async () => {
      const { create } = stubWebAuthn();
      withCapabilities({ conditionalCreate: true, conditionalGet: true });
      const { latchkey, seen } = setup(routes());
      await latchkey.load();
      const passkey = await latchkey.user!.createPasskey({ mediation: 'conditional' });
      expect(passkey.id).toBe('pk_3');
      const request = (create.mock.calls[0] as unknown as [CredentialCreationOptions & { mediation?: string }])[0];
      expect(request.mediation).toBe('conditional');
      expect(request.signal).toBeInstanceOf(AbortSignal);
      const start = seen.find((r) => r.path === '/v1/me/passkeys')!;
      expect(start.form.get('mediation')).toBe('conditional');
    });

    it('the ordinary call is unchanged: no mediation to the browser, no body to the server', async () => {
      const { create } = stubWebAuthn();
      withCapabilities({ conditionalCreate: true });
      const { latchkey, seen } = setup(routes());
      await latchkey.load();
      await latchkey.user!.createPasskey();
      expect((create.mock.calls[0] as unknown as [{ mediation?: string }])[0].mediation).toBeUndefined();
      expect(seen.find((r) => r.path === '/v1/me/passkeys')!.form.toString()).toBe('');
    });

    it.each([
      ['getClientCapabilities is missing', null],
      ['conditionalCreate is false', { conditionalCreate: false, conditionalGet: true }],
      ['conditionalCreate is absent', { conditionalGet: true }],
    ])('rejects with passkey_not_supported when %s, before any request', async (_name, caps) => {
      const { create } = stubWebAuthn();
      withCapabilities(caps);
      const { latchkey, seen } = setup(routes());
      await latchkey.load();
      const err = await latchkey.user!.createPasskey({ mediation: 'conditional' }).catch((e: unknown) => e);
      expect(isLatchkeyRuntimeError(err)).toBe(true);
      expect(err).toMatchObject({ code: 'passkey_not_supported' });
      expect(create).not.toHaveBeenCalled();
      expect(seen.filter((r) => r.httpMethod === 'POST')).toEqual([]);
      expect(await isWebAuthnConditionalCreateSupported()).toBe(false);
    });

    it('a pending upgrade is aborted by a later createPasskey(), whose prompt goes ahead', async () => {
      const { create } = stubWebAuthn();
      withCapabilities({ conditionalCreate: true });
      const real = create.getMockImplementation()!;
      // The conditional request never answers on its own (as Chromium's virtual authenticator
      // does); it ends only when its signal aborts.
      create.mockImplementationOnce(
        (o: CredentialCreationOptions) => new Promise((_resolve, reject) => o.signal!.addEventListener('abort', () => reject(o.signal!.reason))),
      );
      create.mockImplementationOnce(real);
      const { latchkey } = setup(routes());
      await latchkey.load();
      const upgrade = latchkey.user!.createPasskey({ mediation: 'conditional' });
      await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
      const modal = await latchkey.user!.createPasskey();
      expect(modal.id).toBe('pk_3');
      await expect(upgrade).rejects.toMatchObject({ code: 'passkey_operation_aborted' });
    });
  });

  it('maps a cancelled prompt to passkey_registration_cancelled', async () => {
    const { create } = stubWebAuthn();
    create.mockRejectedValueOnce(new DOMException('cancelled', 'NotAllowedError'));
    const pending = passkeyJSON({ id: 'pk_2', verification: { status: 'unverified', strategy: 'passkey', nonce: creation } });
    const { latchkey } = setup({ ...signedIn(), 'POST /v1/me/passkeys': () => ({ body: { response: pending, client: clientJSON({ sessions: [sessionJSON()], last_active_session_id: 'sess_1' }) } }) });
    await latchkey.load();
    await expect(latchkey.user!.createPasskey()).rejects.toMatchObject({ code: 'passkey_registration_cancelled' });
  });
});

describe('a pending session (signed in with a recovery code)', () => {
  const pendingClient = (status: 'pending' | 'active') =>
    clientJSON({ sessions: [sessionJSON({ status, tasks: status === 'pending' ? [{ key: 'add-passkey' }] : null })], last_active_session_id: 'sess_1' });

  it('is the session /v1/me calls act as, with its task, but not signed in until it adds a passkey', async () => {
    let status: 'pending' | 'active' = 'pending';
    const { latchkey, seen } = setup({
      'GET /v1/environment': () => ({ body: { ...environment, user_settings: { ...environment.user_settings, attributes: { passkey: { enabled: true }, recovery_code: { enabled: true } } } } }),
      'GET /v1/client': () => ({ body: { response: pendingClient(status), client: pendingClient(status) } }),
      'POST /v1/client/sessions/sess_1/tokens': () => ({ body: { object: 'token', jwt: jwtValidFor(60) } }),
      'POST /v1/client/sign_ins/sia_1/attempt_first_factor': () => ({ body: { response: { object: 'sign_in', id: 'sia_1', status: 'complete', created_session_id: 'sess_1' }, client: pendingClient('pending') } }),
      'POST /v1/me/recovery_codes': () => ({ body: { response: { object: 'recovery_codes', total: 10, remaining: 10, created_at: 1, codes: ['abcde-23456'] }, client: pendingClient(status) } }),
    });
    await latchkey.load();
    expect(latchkey.environment?.userSettings.attributes.recoveryCode.enabled).toBe(true);
    expect(latchkey.session).toMatchObject({ id: 'sess_1', status: 'pending', tasks: [{ key: 'add-passkey' }], currentTask: { key: 'add-passkey' } });
    expect(latchkey.isSignedIn).toBe(false);
    expect(latchkey.user?.id).toBe('user_1');
    expect(await latchkey.session!.getToken()).toMatch(/^ey/);

    // The attempt sends the code as Clerk's SDK would send a backup code.
    latchkey.signIn!.id = 'sia_1';
    await latchkey.signIn!.attemptFirstFactor({ strategy: 'recovery_code', code: 'abcde-23456' });
    expect(seen.at(-1)!.form.get('strategy')).toBe('recovery_code');
    expect(seen.at(-1)!.form.get('code')).toBe('abcde-23456');

    // Codes come back once; /v1/me calls carry the pending session's id.
    status = 'active';
    const made = await latchkey.user!.createRecoveryCodes();
    expect(made).toEqual({ total: 10, remaining: 10, createdAt: new Date(1), codes: ['abcde-23456'] });
    expect(seen.at(-1)!.query.get('_clerk_session_id')).toBe('sess_1');
    expect(latchkey.isSignedIn).toBe(true);
    expect(latchkey.session?.tasks).toBeNull();
  });
});

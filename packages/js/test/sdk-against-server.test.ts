/**
 * The browser SDK against the real server app (in process, fresh database, SQLite or PostgreSQL):
 * proves the SDK and the frontend API agree on the wire format, flow by flow.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../../server/test/support/authenticator.js';
import { createTestServer, DEV_ORIGIN, type TestServer } from '../../server/test/support/harness.js';
import { Latchkey } from '../src/latchkey.js';
import { errorOf, sdk, uninstallSdk } from './sdk-harness.js';
import { browserFetch } from './software-navigator.js';

afterEach(uninstallSdk);

describe('@latchkey/js against the real frontend API', () => {
  it('signs up, manages passkeys, signs out and in, and mints a verifiable token', async () => {
    const server = await createTestServer();
    const { latchkey, nav } = await sdk(server);
    expect(latchkey.isSignedIn).toBe(false);

    const signUp = await latchkey.signUp!.createWithPasskey({ username: 'sdkuser' });
    expect(signUp.status).toBe('complete');
    await latchkey.setActive({ session: signUp.createdSessionId });
    expect(latchkey.user?.username).toBe('sdkuser');
    expect(latchkey.user?.passkeys).toHaveLength(1);

    // Add a passkey from another device; user.passkeys follows the piggy-backed client.
    const phone = nav.current;
    nav.current = new SoftwareAuthenticator({ aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4' });
    const added = await latchkey.user!.createPasskey();
    expect(added.name).toBe('Google Password Manager');
    expect(latchkey.user?.passkeys.map((p) => p.name)).toContain('Google Password Manager');

    const renamed = await latchkey.user!.passkeys.find((p) => p.id === added.id)!.update({ name: 'Pixel' });
    expect(renamed.name).toBe('Pixel');
    expect(latchkey.user?.passkeys.find((p) => p.id === added.id)?.name).toBe('Pixel');
    await latchkey.user!.passkeys.find((p) => p.id === added.id)!.delete();
    expect(latchkey.user?.passkeys).toHaveLength(1);

    // An authenticator that already holds a passkey for this user: the SDK's browser-side code.
    nav.current = phone;
    expect((await errorOf(latchkey.user!.createPasskey())).code).toBe('passkey_already_exists');

    await latchkey.signOut();
    expect(latchkey.isSignedIn).toBe(false);

    // Discoverable, then identifier-first.
    const attempt = await latchkey.signIn!.authenticateWithPasskey({ flow: 'discoverable' });
    expect(attempt.status).toBe('complete');
    // The current guide's form: setActive with a client-side navigate callback.
    const navigatedTo: string[] = [];
    await latchkey.setActive({ session: attempt.createdSessionId, navigate: ({ session }) => void navigatedTo.push(session.id) });
    expect(navigatedTo).toEqual([attempt.createdSessionId]);
    expect(latchkey.user?.username).toBe('sdkuser');
    await latchkey.signOut();
    await latchkey.signIn!.create({ identifier: 'sdkuser' });
    const second = await latchkey.signIn!.authenticateWithPasskey();
    expect(second.status).toBe('complete');
    await latchkey.setActive({ session: second.createdSessionId });

    const jwt = await latchkey.session!.getToken();
    const jwks = await (await server.app.request('/.well-known/jwks.json')).json();
    const { payload } = await jwtVerify(jwt!, createLocalJWKSet(jwks), { currentDate: new Date(server.clock.now()) });
    expect(payload.sid).toBe(latchkey.session!.id);
  });

  it('surfaces API errors with status, code and long message that survive JSON.stringify', async () => {
    const server = await createTestServer();
    const { latchkey } = await sdk(server);
    await latchkey.signUp!.createWithPasskey({ username: 'taken' });
    const other = await sdk(server);
    const err = await errorOf(other.latchkey.signUp!.create({ username: 'taken' }));
    expect(err.status).toBe(422);
    expect(err.errors[0]).toMatchObject({ code: 'form_identifier_exists', meta: { paramName: 'username' } });
    expect(err.errors[0].longMessage).toMatch(/taken/);

    await server.setSettings({ passkeysEnabled: false });
    const off = await errorOf(other.latchkey.signIn!.authenticateWithPasskey({ flow: 'discoverable' }));
    expect(off.errors[0].code).toBe('feature_not_enabled');
  });

  it('account: session_exists when signed in, profile update, active sessions and revoke, delete', async () => {
    const server = await createTestServer();
    const { latchkey } = await sdk(server);
    expect(latchkey.environment?.authConfig.singleSessionMode).toBe(true);
    const signUp = await latchkey.signUp!.createWithPasskey({ username: 'acct' });
    await latchkey.setActive({ session: signUp.createdSessionId });
    const refused = await errorOf(latchkey.signIn!.create({ identifier: 'acct' }));
    expect({ status: refused.status, code: refused.errors[0].code }).toEqual({ status: 400, code: 'session_exists' });

    const user = await latchkey.user!.update({ username: 'acct2', emailAddress: 'acct@example.com' });
    expect(user.username).toBe('acct2');
    expect(latchkey.user?.primaryEmailAddress?.emailAddress).toBe('acct@example.com');

    // A second browser (its own cookie jar, the same passkey) signs in too.
    const other = new Latchkey(undefined, { frontendApi: 'http://localhost:4000', fetch: browserFetch(server.app, DEV_ORIGIN) });
    await other.load();
    const there = await other.signIn!.authenticateWithPasskey({ flow: 'discoverable' });
    await other.setActive({ session: there.createdSessionId });
    const sessions = await latchkey.user!.getSessions();
    expect(sessions.map((s) => s.id).sort()).toEqual([signUp.createdSessionId, there.createdSessionId].sort());
    const remote = sessions.find((s) => s.id === there.createdSessionId)!;
    expect((await remote.revoke()).status).toBe('revoked');
    expect(await latchkey.user!.getSessions()).toHaveLength(1);

    const deleted = await latchkey.user!.delete();
    expect(deleted).toMatchObject({ object: 'user', deleted: true });
    expect(latchkey.isSignedIn).toBe(false);
  });

  it('maps a cancelled ceremony to passkey_retrieval_cancelled', async () => {
    const server = await createTestServer();
    const { latchkey, nav } = await sdk(server);
    await latchkey.signUp!.createWithPasskey({ username: 'cancel' });
    await latchkey.signOut();
    nav.current = new SoftwareAuthenticator(); // holds no passkey for this site: the user dismisses the dialog
    expect((await errorOf(latchkey.signIn!.authenticateWithPasskey({ flow: 'discoverable' }))).code).toBe('passkey_retrieval_cancelled');
  });
});

/**
 * The combined sign-in object against the real server app (in process, fresh database): Core 3's
 * `passkey()` + `finalize()` with `errors` and `fetchStatus`, and the legacy methods on the same
 * object. The browser's WebAuthn is the software authenticator behind a stand-in navigator.
 */
import { Latchkey } from '@latchkey/js';
import { afterEach, describe, expect, it } from 'vitest';
import { browserFetch, SoftwareNavigator } from '../../js/test/software-navigator.js';
import { createTestServer, DEV_ORIGIN, type TestServer } from '../../server/test/support/harness.js';
import { codeIn, TestSmtpServer } from '../../server/test/support/smtp-server.js';
import { SignInFuture, toSignInErrors } from './sign-in-future.js';

let uninstall: (() => void) | null = null;
afterEach(() => {
  uninstall?.();
  uninstall = null;
});

/** A signed-up, signed-out user on a fresh SDK instance, and the combined sign-in over it. */
async function signedOutUser(server: TestServer, username: string) {
  const nav = new SoftwareNavigator(DEV_ORIGIN);
  uninstall = nav.install();
  const latchkey = new Latchkey(undefined, { frontendApi: 'http://localhost:4000', fetch: browserFetch(server.app, DEV_ORIGIN) });
  await latchkey.load();
  const signUp = await latchkey.signUp!.createWithPasskey({ username });
  await latchkey.setActive({ session: signUp.createdSessionId });
  await latchkey.signOut();
  const signIn = new SignInFuture(latchkey);
  const statuses: string[] = [];
  signIn.subscribe(() => statuses.push(signIn.getState().fetchStatus));
  return { latchkey, signIn, statuses };
}

describe('useSignIn()’s sign-in object, Core 3 methods', () => {
  it('passkey() then finalize({ navigate }) signs in, reporting fetchStatus', async () => {
    const server = await createTestServer();
    const { latchkey, signIn, statuses } = await signedOutUser(server, 'core3');
    expect(await signIn.passkey({ flow: 'discoverable' })).toEqual({ error: null });
    expect(signIn.status).toBe('complete');
    expect(statuses).toEqual(['fetching', 'idle']);
    const navigated: string[] = [];
    const finalized = await signIn.finalize({ navigate: ({ session, decorateUrl }) => void navigated.push(`${session.id} ${decorateUrl('/home')}`) });
    expect(finalized).toEqual({ error: null });
    expect(navigated).toEqual([`${signIn.createdSessionId} /home`]);
    expect(latchkey.user?.username).toBe('core3');
    expect(signIn.getState().errors).toEqual({ fields: { identifier: null }, raw: null, global: null });
  });

  it('identifier-first: create({ identifier }) then passkey() without a flow', async () => {
    const server = await createTestServer();
    const { latchkey, signIn } = await signedOutUser(server, 'named');
    await signIn.create({ identifier: 'named' });
    expect(await signIn.passkey()).toEqual({ error: null });
    expect((await signIn.finalize()).error).toBeNull();
    expect(latchkey.user?.username).toBe('named');
  });

  it('answers { error } instead of throwing, and sorts errors by field', async () => {
    const server = await createTestServer();
    const { signIn } = await signedOutUser(server, 'errs');
    // finalize() before a complete sign-in.
    expect((await signIn.finalize()).error).toBeInstanceOf(Error);
    expect(signIn.getState().errors.global?.[0]?.message).toMatch(/needs a complete sign-in/);
    // A server refusal naming the identifier goes to errors.fields.identifier (the legacy
    // create() still throws it, as it always did).
    const tooLong = await signIn.create({ identifier: `${'x'.repeat(400)}@example.com` }).then(() => null, (e: unknown) => e);
    expect(tooLong).toMatchObject({ errors: [{ code: 'form_param_format_invalid' }] });
    expect(toSignInErrors(tooLong)).toMatchObject({ fields: { identifier: { code: 'form_param_format_invalid' } }, global: null, raw: [tooLong] });
    // Passkeys switched off: a global error from the server.
    await server.setSettings({ passkeysEnabled: false });
    const off = await signIn.passkey({ flow: 'discoverable' });
    expect(off.error).toMatchObject({ status: 403 });
    expect(signIn.getState()).toMatchObject({ fetchStatus: 'idle', errors: { global: [{ code: 'feature_not_enabled' }], fields: { identifier: null } } });
    expect(signIn.getState().errors.raw).toEqual([off.error]);
    expect(await signIn.reset()).toEqual({ error: null });
    expect(signIn.getState().errors.global).toBeNull();
  });
});

describe('useSignIn()’s sign-in object, legacy methods', () => {
  it('authenticateWithPasskey() returns the resource, and setActive takes its session', async () => {
    const server = await createTestServer();
    const { latchkey, signIn } = await signedOutUser(server, 'legacy');
    const attempt = await signIn.authenticateWithPasskey({ flow: 'discoverable' });
    expect(attempt.status).toBe('complete');
    await latchkey.setActive({ session: attempt.createdSessionId });
    expect(latchkey.user?.username).toBe('legacy');
    // The completed sign-in stays readable on the object, as on Clerk.
    expect(signIn.status).toBe('complete');
  });
});

describe('useSignIn()’s sign-in object, Core 3 emailCode', () => {
  it('sendCode({ emailAddress }) emails a code (read from a real SMTP server); verifyCode() then finalize() signs in', async () => {
    const smtp = new TestSmtpServer();
    const smtpUrl = await smtp.start();
    try {
      const server = await createTestServer({ config: { email: { smtpUrl, from: 'no-reply@example.com', replyTo: null } }, settings: { emailCodeSignIn: true } });
      const nav = new SoftwareNavigator(DEV_ORIGIN);
      uninstall = nav.install();
      const latchkey = new Latchkey(undefined, { frontendApi: 'http://localhost:4000', fetch: browserFetch(server.app, DEV_ORIGIN) });
      await latchkey.load();
      const signUp = await latchkey.signUp!.createWithPasskey({ username: 'mailer', emailAddress: 'mailer@example.com' });
      await latchkey.setActive({ session: signUp.createdSessionId });
      await latchkey.signOut();
      // Verified by hand: sign-up verification is its own test (email-verification.test.ts).
      await server.deps.store.db.updateTable('identifiers').set({ verified_at: server.clock.now() }).where('value', '=', 'mailer@example.com').execute();
      const signIn = new SignInFuture(latchkey);

      expect(await signIn.emailCode.sendCode({ emailAddress: 'mailer@example.com' })).toEqual({ error: null });
      expect(signIn.supportedFirstFactors[1]).toMatchObject({ strategy: 'email_code', safeIdentifier: 'm***@example.com' });
      expect(signIn.firstFactorVerification).toMatchObject({ status: 'unverified', strategy: 'email_code', attempts: 0 });
      await server.deps.dispatcher.drain();
      const code = codeIn(await smtp.waitFor((m) => m.to.includes('mailer@example.com')));

      const wrong = await signIn.emailCode.verifyCode({ code: code === '000000' ? '111111' : '000000' });
      expect(wrong.error).not.toBeNull();
      expect(signIn.getState().errors.global).toEqual([expect.objectContaining({ code: 'form_code_incorrect' })]);
      expect(await signIn.emailCode.verifyCode({ code })).toEqual({ error: null });
      expect(signIn.status).toBe('complete');
      expect((await signIn.finalize()).error).toBeNull();
      expect(latchkey.user?.username).toBe('mailer');
    } finally {
      await smtp.close();
    }
  });
});

/**
 * SignUp's email verification methods against the real frontend API (development mailbox, no
 * SMTP): Clerk's prepareEmailAddressVerification / attemptEmailAddressVerification, the generic
 * prepareVerification / attemptVerification with `email_code`, and createWithPasskey refusing
 * before any prompt while the address is unverified.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../server/test/support/harness.js';
import { errorOf, sdk, uninstallSdk } from './sdk-harness.js';

afterEach(uninstallSdk);

/** The newest code mailed to `to`, from the development mailbox. */
async function codeFor(server: TestServer, to: string): Promise<string> {
  await server.deps.dispatcher.drain();
  const mail = server.deps.email.mailbox!.list().find((m) => m.to === to);
  expect(mail?.subject).toMatch(/^\d{6} /);
  return mail!.subject.slice(0, 6);
}

describe('SignUp email verification', () => {
  it("Clerk's methods: the code first, then the passkey", async () => {
    const server = await createTestServer({ settings: { emailVerification: 'required' } });
    const { latchkey } = await sdk(server);
    const signUp = latchkey.signUp!;

    // createWithPasskey stops after create, before any prompt, with a clear error.
    const refused = await errorOf(signUp.createWithPasskey({ username: 'mel', emailAddress: 'mel@example.com' }));
    expect(refused.code).toBe('email_address_unverified');
    expect(signUp.id).toBeTruthy();
    expect(signUp.needsEmailVerification).toBe(true);
    expect(signUp.unverifiedFields).toEqual(['email_address', 'passkey']);
    expect(signUp.verifications.emailAddress).toMatchObject({ status: 'unverified', strategy: null, nextAction: 'needs_prepare', supportedStrategies: ['email_code'] });

    await signUp.prepareEmailAddressVerification({ strategy: 'email_code' });
    expect(signUp.verifications.emailAddress).toMatchObject({ status: 'unverified', strategy: 'email_code', attempts: 0, nextAction: 'needs_attempt' });
    expect(signUp.verifications.emailAddress.expireAt).toBeInstanceOf(Date);
    const code = await codeFor(server, 'mel@example.com');

    // Resend inside 30 s: 429 too_many_requests.
    const again = await errorOf(signUp.prepareEmailAddressVerification());
    expect(again.status).toBe(429);
    expect(again.errors[0].code).toBe('too_many_requests');

    const wrong = await errorOf(signUp.attemptEmailAddressVerification({ code: code === '000000' ? '111111' : '000000' }));
    expect(wrong.errors[0]).toMatchObject({ code: 'form_code_incorrect', meta: { paramName: 'code' } });

    await signUp.attemptEmailAddressVerification({ code });
    expect(signUp.verifications.emailAddress.status).toBe('verified');
    expect(signUp.needsEmailVerification).toBe(false);
    expect(signUp.unverifiedFields).toEqual(['passkey']);

    const done = await signUp.completeWithPasskey();
    expect(done.status).toBe('complete');
    await latchkey.setActive({ session: done.createdSessionId });
    expect(latchkey.user?.primaryEmailAddress?.emailAddress).toBe('mel@example.com');
  });

  it('prepareVerification / attemptVerification take strategy email_code', async () => {
    const server = await createTestServer({ settings: { emailVerification: 'required' } });
    const { latchkey } = await sdk(server);
    const signUp = latchkey.signUp!;
    await signUp.create({ emailAddress: 'kim@example.com' });
    expect(signUp.needsEmailVerification).toBe(true);
    // The passkey step is refused by the server too, until the code.
    const early = await errorOf(signUp.prepareVerification({ strategy: 'passkey' }));
    expect(early.errors[0].code).toBe('email_address_unverified');

    await signUp.prepareVerification({ strategy: 'email_code' });
    await signUp.attemptVerification({ strategy: 'email_code', code: await codeFor(server, 'kim@example.com') });
    expect(signUp.verifications.emailAddress.status).toBe('verified');
    expect((await signUp.completeWithPasskey()).status).toBe('complete');
  });

  it('without the setting nothing changes: createWithPasskey completes at once', async () => {
    const server = await createTestServer();
    const { latchkey } = await sdk(server);
    const done = await latchkey.signUp!.createWithPasskey({ emailAddress: 'off@example.com' });
    expect(done.status).toBe('complete');
    expect(done.needsEmailVerification).toBe(false);
  });
});

/**
 * Sign-in methods of the prebuilt <SignIn> (autofill, identifier-first) and the errors users meet:
 * a cancelled ceremony, a passkey that already exists, passkeys switched off.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';
import { clickGuideSignIn, guideError, openSignIn, recordWebAuthnCalls, signOut, signUp, waitSignedIn, webAuthnCalls } from './support/flows.js';

let demo: DemoServer;
let b: BrowserSession;
let origin: string;

beforeAll(async () => {
  demo = await startDemo();
  origin = demo.origin();
});
afterAll(async () => {
  await demo?.close();
});
beforeEach(async (ctx) => {
  b = await browserForTest(ctx);
  await recordWebAuthnCalls(b.page);
});
afterEach(() => closeBrowserForTest(b));

/** A signed-up, signed-out user whose passkey is on the page's only authenticator. */
async function signedOutUser(username: string): Promise<{ authenticators: VirtualAuthenticators; authenticator: string }> {
  const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
  const authenticator = await authenticators.add();
  await signUp(b.page, origin, username);
  await signOut(b.page);
  return { authenticators, authenticator };
}

describe('sign-in methods', () => {
  it('offers passkeys in the username field (autocomplete="username webauthn")', async () => {
    await openSignIn(b.page, origin);
    // Found by its label, so the attribute is checked on the field users (and screen readers) see.
    await expect(b.page.getByLabel('Username or email address').getAttribute('autocomplete')).resolves.toBe('username webauthn');
  });

  it('autofill: the conditional request signs in as soon as /sign-in opens', async () => {
    await signedOutUser('alan');
    await b.page.goto(`${origin}/sign-in`);
    // No click: Chromium's virtual authenticator answers a conditional request at once.
    await waitSignedIn(b.page, 'alan');
    const gets = (await webAuthnCalls(b.page)).filter((c) => c.kind === 'get');
    expect(gets).toEqual([{ kind: 'get', mediation: 'conditional', allowCredentials: 0, rpId: 'localhost' }]);
  });

  it('identifier-first: typing the username and pressing Continue signs in with that user’s passkey', async () => {
    await signedOutUser('barbara');
    await openSignIn(b.page, origin);
    await b.page.getByTestId('sign-in-identifier').fill('barbara');
    await b.page.getByTestId('sign-in-continue').click();
    await waitSignedIn(b.page, 'barbara');
    const gets = (await webAuthnCalls(b.page)).filter((c) => c.kind === 'get');
    // Without autofill only the identifier-first request ran; it named the user's one passkey.
    expect(gets).toEqual([{ kind: 'get', mediation: null, allowCredentials: 1, rpId: 'localhost' }]);
  });

  it('identifier-first: an unknown username gets decoy credentials, so it looks like a missing passkey', async () => {
    await VirtualAuthenticators.attach(b.context, b.page).then((a) => a.add());
    await openSignIn(b.page, origin);
    await b.page.getByTestId('sign-in-identifier').fill('nobody-here');
    await b.page.getByTestId('sign-in-continue').click();
    await expect(b.page.getByTestId('sign-in-error').filter({ hasText: /./ }).textContent()).resolves.toBe(
      'Sign-in was cancelled, or no passkey was chosen.',
    );
    const [get] = await webAuthnCalls(b.page);
    expect(get).toMatchObject({ kind: 'get', mediation: null, rpId: 'localhost' });
    expect(get!.allowCredentials).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  it('a cancelled sign-in is passkey_retrieval_cancelled; a cancelled creation is passkey_registration_cancelled', async () => {
    const { authenticators, authenticator } = await signedOutUser('carol');
    await authenticators.setUserVerified(authenticator, false);

    await openSignIn(b.page, origin);
    await clickGuideSignIn(b.page);
    expect(await guideError(b, 'passkey_retrieval_cancelled')).toMatchObject({ code: 'passkey_retrieval_cancelled', latchkeyRuntimeError: true });
    // The prebuilt button says it in words, in its alert region.
    await b.page.getByTestId('sign-in-passkey').click();
    await expect(b.page.getByTestId('sign-in-error').filter({ hasText: /./ }).textContent()).resolves.toBe(
      'Sign-in was cancelled, or no passkey was chosen.',
    );

    // Creation: signed in again, then the user cancels on a new authenticator.
    await authenticators.setUserVerified(authenticator, true);
    await clickGuideSignIn(b.page);
    await waitSignedIn(b.page, 'carol');
    await authenticators.remove(authenticator);
    const other = await authenticators.add({ isUserVerified: false });
    await b.page.goto(`${origin}/passkeys`);
    await b.page.getByTestId('guide-create').getByRole('button', { name: 'Create a passkey' }).click();
    expect(await guideError(b, 'passkey_registration_cancelled')).toMatchObject({ code: 'passkey_registration_cancelled' });
    expect(await authenticators.credentials(other)).toEqual([]);
    await expect(b.page.getByTestId('passkey-item').count()).resolves.toBe(1);
  });

  it('creating a second passkey on the same authenticator is passkey_already_exists', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    const authenticator = await authenticators.add();
    await signUp(b.page, origin, 'dora');
    await b.page.goto(`${origin}/passkeys`);
    await b.page.getByTestId('passkey-item').waitFor();

    await b.page.getByTestId('guide-create').getByRole('button', { name: 'Create a passkey' }).click();
    expect(await guideError(b, 'passkey_already_exists')).toMatchObject({ code: 'passkey_already_exists' });
    await b.page.getByTestId('passkey-add').click();
    await expect(b.page.getByTestId('passkey-error').filter({ hasText: /./ }).textContent()).resolves.toBe(
      'This device already holds a passkey for your account.',
    );
    expect(await authenticators.credentials(authenticator)).toHaveLength(1);
    await expect(b.page.getByTestId('passkey-item').count()).resolves.toBe(1);
  });

  it('with passkeys switched off, sign-in answers feature_not_enabled and <SignIn> says it is off', async () => {
    await signedOutUser('edgar');
    await demo.server.deps.settings.update({ passkeysEnabled: false });
    try {
      await openSignIn(b.page, origin);
      await b.page.getByTestId('sign-in-disabled').waitFor();
      await clickGuideSignIn(b.page);
      expect(await guideError(b, 'feature_not_enabled')).toMatchObject({ status: 403, errors: [{ code: 'feature_not_enabled' }] });
      expect(await webAuthnCalls(b.page)).toEqual([]);
    } finally {
      await demo.server.deps.settings.update({ passkeysEnabled: true });
    }
    // Switched back on, the same passkey signs in again.
    await b.page.reload();
    await clickGuideSignIn(b.page);
    await waitSignedIn(b.page, 'edgar');
  });
});

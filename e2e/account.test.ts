/**
 * The demo app in Chromium with a virtual authenticator: sign-up with the prebuilt <SignUp>, then
 * the custom-flow guide's own components (sign in, create, rename, delete) against the real server.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';
import { apiDemo, clickGuideSignIn, guideError, guidePasskeys, openSignIn, sessionCookie, signOut, signUp, waitSignedIn } from './support/flows.js';

let demo: DemoServer;
let b: BrowserSession;

beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => {
  await demo?.close();
});
beforeEach(async (ctx) => {
  b = await browserForTest(ctx);
});
afterEach(() => closeBrowserForTest(b));

async function userIdOf(username: string): Promise<string> {
  const row = await demo.server.deps.store.db
    .selectFrom('identifiers')
    .select('user_id')
    .where('type', '=', 'username')
    .where('value', '=', username)
    .executeTakeFirstOrThrow();
  return row.user_id;
}

/** Both lists on /passkeys: the prebuilt <UserProfile> rows and the guide's "Name: … | ID: …" rows. */
async function passkeyNames(): Promise<{ prebuilt: string[]; guide: string[] }> {
  return {
    prebuilt: await b.page.getByTestId('passkey-name').allTextContents(),
    guide: (await guidePasskeys(b.page)).map((p) => p.name),
  };
}

async function waitForPasskeyCount(n: number): Promise<void> {
  await b.page.waitForFunction(
    (count) =>
      document.querySelectorAll('[data-testid="passkey-item"]').length === count &&
      document.querySelectorAll('[data-testid="guide-rename"] li').length === count,
    n,
  );
}

describe('demo app', () => {
  it('signs up with a passkey, signs in with the guide button, and the session token verifies', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    const authenticator = await authenticators.add();
    const origin = demo.origin();

    await signUp(b.page, origin, 'ada', { beforeSubmit: () => b.screenshots('sign-up', { docs: true }) });
    await b.screenshot('home-signed-in');
    const [credential] = await authenticators.credentials(authenticator);
    expect(credential).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });

    await signOut(b.page);
    expect(await sessionCookie(b.page)).toBeNull();

    await openSignIn(b.page, origin);
    await b.screenshots('sign-in', { docs: true });
    await clickGuideSignIn(b.page);
    await waitSignedIn(b.page, 'ada');
    expect(new URL(b.page.url()).pathname).toBe('/'); // the guide's router.push('/')

    const userId = await userIdOf('ada');
    const api = await apiDemo(b.page, origin);
    expect(api.status).toBe('HTTP 200');
    expect(api.body).toEqual({ signedIn: true, userId, sessionId: expect.stringMatching(/^sess_/) });

    // The cookie the SDK keeps for the app's server verifies against the published keys.
    const jwt = await sessionCookie(b.page);
    expect(jwt).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(`${origin}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(jwt!, jwks, { issuer: demo.server.deps.config.publicUrl });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: userId, sid: api.body.sessionId, azp: origin });
    expect(payload.exp! - payload.iat!).toBe(60);
    // ...and nothing else does: one flipped signature character fails.
    const [head, body, sig] = jwt!.split('.');
    const forged = `${head}.${body}.${sig!.startsWith('A') ? 'B' : 'A'}${sig!.slice(1)}`;
    await expect(jwtVerify(forged, jwks)).rejects.toThrow(/signature/);

    // Chromium's virtual authenticator has the zero AAGUID: the server names it from the user agent.
    await b.page.goto(`${origin}/passkeys`);
    await waitForPasskeyCount(1);
    expect(await passkeyNames()).toEqual({ prebuilt: ['Chrome on Linux'], guide: ['Chrome on Linux'] });
    await expect(b.page.getByTestId('passkey-provider').textContent()).resolves.toBe('Chrome on Linux');
  });

  it('adds, renames and deletes passkeys with the guide components; a deleted passkey cannot sign in', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    const first = await authenticators.add();
    const origin = demo.origin();
    await signUp(b.page, origin, 'grace');
    const [firstCredential] = await authenticators.credentials(first);

    // The new passkey must land on a second authenticator: take the first one away (keeping its
    // credential to put back later), or the browser would refuse it as excluded.
    await authenticators.remove(first);
    const second = await authenticators.add();

    await b.page.goto(`${origin}/passkeys`);
    await waitForPasskeyCount(1);
    const [original] = await guidePasskeys(b.page);
    // A marker that a reload would wipe: every change below must show up without one.
    await b.page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

    await b.page.getByTestId('guide-create').getByRole('button', { name: 'Create a passkey' }).click();
    await waitForPasskeyCount(2);
    expect(await authenticators.credentials(second)).toHaveLength(1);
    const added = (await guidePasskeys(b.page)).find((p) => p.id !== original!.id)!;
    // Same browser, same provider: the second one's default name tells them apart.
    expect(added.name).toBe('Chrome on Linux 2');

    // Rename the first passkey with the guide's rename UI.
    const rename = b.page.getByTestId('guide-rename');
    await rename.getByPlaceholder('Enter the passkey ID').fill(original!.id);
    await rename.getByPlaceholder("Enter the passkey's new name").fill('Work laptop');
    await rename.getByRole('button', { name: 'Rename passkey' }).click();
    await rename.getByText('Passkey updated: Yes').waitFor();
    await b.page.getByTestId('passkey-name').filter({ hasText: 'Work laptop' }).waitFor();
    expect(await passkeyNames()).toEqual({ prebuilt: ['Work laptop', 'Chrome on Linux 2'], guide: ['Work laptop', 'Chrome on Linux 2'] });
    await b.screenshots('passkeys', { docs: true });

    // Delete the added one with the guide's delete UI.
    const del = b.page.getByTestId('guide-delete');
    await del.getByPlaceholder('Enter the passkey ID').fill(added.id);
    await del.getByRole('button', { name: 'Delete passkey' }).click();
    await del.getByText('Passkey deleted: Yes').waitFor();
    await waitForPasskeyCount(1);
    expect(await passkeyNames()).toEqual({ prebuilt: ['Work laptop'], guide: ['Work laptop'] });
    expect(await b.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);

    // With only the deleted passkey's authenticator present, sign-in is refused by the server.
    await signOut(b.page);
    await openSignIn(b.page, origin);
    await clickGuideSignIn(b.page);
    expect(await guideError(b, 'passkey_not_registered')).toMatchObject({
      status: 404,
      errors: [{ code: 'passkey_not_registered', longMessage: expect.stringContaining('deleted') }],
    });
    await expect(b.page.getByTestId('signed-in-as').count()).resolves.toBe(0);

    // The renamed passkey still works, from its own authenticator.
    await authenticators.remove(second);
    const restored = await authenticators.add();
    await authenticators.addCredential(restored, firstCredential!);
    await clickGuideSignIn(b.page);
    await waitSignedIn(b.page, 'grace');
  });
});

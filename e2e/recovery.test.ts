/**
 * Recovery codes in Chromium, one journey: sign-up shows the codes once; the user loses the
 * device (the virtual authenticator forgets the credential), signs in with a code, is limited
 * until they add a passkey ("add a passkey now"), then signs out and in with the new passkey; the
 * used code fails again, and the profile counts what is left.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';
import { openSignIn, signOut, waitSignedIn } from './support/flows.js';

let demo: DemoServer;
let b: BrowserSession;

beforeAll(async () => {
  demo = await startDemo({ LATCHKEY_RECOVERY_CODES: 'true', LATCHKEY_APP_NAME: 'Acme' });
});
afterAll(async () => {
  await demo?.close();
});
beforeEach(async (ctx) => {
  b = await browserForTest(ctx);
});
afterEach(() => closeBrowserForTest(b));

/** A frontend API call from the page, with its cookie: the status and first error code. */
async function fapi(path: string): Promise<{ status: number; code: string | null }> {
  return b.page.evaluate(async (p) => {
    const res = await fetch(p, { credentials: 'include' });
    const body = (await res.json()) as { errors?: { code: string }[] };
    return { status: res.status, code: body.errors?.[0]?.code ?? null };
  }, path);
}

async function useRecoveryCode(origin: string, username: string, code: string): Promise<void> {
  await openSignIn(b.page, origin);
  await b.page.getByTestId('sign-in-use-recovery-code').click();
  await b.page.getByTestId('recovery-identifier').fill(username);
  await b.page.getByTestId('recovery-code').fill(code);
}

describe('recovery codes', () => {
  it('a user without a working passkey signs in with a code, adds a passkey, and signs in with it; the code is spent', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    const authenticator = await authenticators.add();
    const origin = demo.origin();

    // Sign-up: the first passkey, then the codes, shown once.
    await b.page.goto(`${origin}/sign-up`);
    await b.page.getByTestId('sign-up-username').fill('rosa');
    await b.page.getByTestId('sign-up-submit').click();
    const list = b.page.getByTestId('recovery-codes-list');
    await list.waitFor();
    const codes = (await list.locator('li').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[2-9a-z]{5}-[2-9a-z]{5}$/);
    await b.screenshots('recovery-codes', { docs: true });
    await b.page.getByTestId('recovery-codes-done').click();
    await waitSignedIn(b.page, 'rosa');

    // The profile counts them.
    await b.page.goto(`${origin}/account`);
    await b.page.getByTestId('recovery-codes-remaining').filter({ hasText: '10 of 10 recovery codes left.' }).waitFor();
    await b.page.getByTestId('user-profile-recovery-codes').scrollIntoViewIfNeeded();
    await b.screenshots('recovery-profile', { docs: true });

    // The device is lost: its passkey is gone.
    await signOut(b.page);
    await authenticators.clearCredentials(authenticator);
    expect(await authenticators.credentials(authenticator)).toEqual([]);

    // A recovery code signs in, into a session that may only add a passkey.
    await useRecoveryCode(origin, 'rosa', codes[0]!.toUpperCase());
    await b.screenshots('recovery-sign-in', { docs: true });
    await b.page.getByTestId('recovery-submit').click();
    await b.page.getByTestId('recovery-add-passkey').waitFor();
    await b.screenshots('recovery-add-passkey', { docs: true });
    // Not signed in as far as the app is concerned: no account menu, the sign-in links stay.
    expect(await b.page.getByTestId('user-button-trigger').count()).toBe(0);
    expect(await b.page.getByTestId('signed-in-as').count()).toBe(0);
    expect(await fapi('/v1/me/sessions/active')).toEqual({ status: 403, code: 'session_recovery_limited' });
    expect(await fapi('/v1/me')).toMatchObject({ status: 200 });
    // The app's server sees no signed-in user: the token says "pending".
    const api = await b.page.evaluate(async () => {
      const client = (await (await fetch('/v1/client', { credentials: 'include' })).json()) as { response: { sessions: { last_active_token: { jwt: string } }[] } };
      const res = await fetch('/api/me', { headers: { authorization: `Bearer ${client.response.sessions[0]!.last_active_token.jwt}` } });
      return { status: res.status, body: (await res.json()) as unknown };
    });
    expect(api).toEqual({ status: 401, body: { signedIn: false, reason: 'session_pending' } });

    // "Add a passkey now": the new passkey makes it a full session.
    await b.page.getByTestId('recovery-add-passkey-create').click();
    await waitSignedIn(b.page, 'rosa');
    expect(await fapi('/v1/me/sessions/active')).toMatchObject({ status: 200, code: null });
    expect(await authenticators.credentials(authenticator)).toHaveLength(1);

    // Out, and in again with the new passkey.
    await signOut(b.page);
    await openSignIn(b.page, origin);
    await b.page.getByTestId('sign-in-passkey').click();
    await waitSignedIn(b.page, 'rosa');
    await b.page.goto(`${origin}/account`);
    await b.page.getByTestId('recovery-codes-remaining').filter({ hasText: '9 of 10 recovery codes left.' }).waitFor();

    // The used code fails again.
    await signOut(b.page);
    await useRecoveryCode(origin, 'rosa', codes[0]!);
    await b.page.getByTestId('recovery-submit').click();
    await b.page.getByTestId('recovery-code-error').filter({ hasText: 'not valid for this account, or it was used already' }).waitFor();
    await b.screenshots('recovery-code-used', { docs: true });
  });
});

/**
 * Clerk's own browser SDKs as clients no one here wrote: `@clerk/clerk-js` and `@clerk/react`
 * from npm (exact versions pinned in package.json), bundled into e2e/sdk-pages/clerk.html, driven in
 * Chromium with virtual authenticators against a real Latchkey. Any request to a host other than
 * the test's own is aborted and fails the test: nothing may quietly depend on Clerk's servers.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JwtTemplates } from '@latchkey/server';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, type BrowserSession } from './support/browser.js';
import { buildClerkPage, serveClerkPage, type ClerkTestServer } from './support/sdk-pages.js';

let page: Awaited<ReturnType<typeof buildClerkPage>>;
let latchkey: ClerkTestServer;
let b: BrowserSession;
/** Requests to any other host, aborted; must stay empty. */
let foreign: string[];

beforeAll(async () => {
  page = await buildClerkPage();
  latchkey = await serveClerkPage(page.dir);
});
afterAll(async () => {
  await latchkey?.close();
  await page?.remove();
});
beforeEach(async (ctx) => {
  b = await browserForTest(ctx);
  // Clerk's SDK reports passkeys unsupported when navigator.webdriver is true, as it is under
  // automation; a person's browser says false. (Latchkey's own SDK does not check it.)
  await b.context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }));
  foreign = [];
  const own = new URL(latchkey.origin).host;
  await b.context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host === own) return route.continue();
    foreign.push(url.href);
    return route.abort('blockedbyclient');
  });
});
afterEach(async () => {
  await closeBrowserForTest(b);
  expect(foreign).toEqual([]);
});

/** Opens the page with a bare Clerk instance (`window.clerk`) and waits for `clerk.load()`. */
async function openClerk(p: Page, url = latchkey.pageUrl('clerk-js')): Promise<void> {
  await p.goto(url);
  await waitLoaded(p);
}

async function waitLoaded(p: Page): Promise<void> {
  await p.waitForSelector('body[data-clerk]', { state: 'attached' });
  const failed = await p.evaluate(() => window.clerkLoadError ?? null);
  if (failed) throw new Error(`clerk.load() failed: ${failed}`);
}

/** What the page's SDK did, as `METHOD /path status` (query left out), for the frontend API only. */
function recordApiCalls(p: Page): string[] {
  const calls: string[] = [];
  p.on('response', (res) => {
    const url = new URL(res.url());
    if (!url.pathname.startsWith('/__clerk/')) return;
    const method = url.searchParams.get('_method') ?? res.request().method();
    calls.push(`${method} ${url.pathname.replace('/__clerk/v1', '')} ${res.status()}`);
  });
  return calls;
}

/**
 * A user signed up through Latchkey's requests (Clerk's SDK cannot sign up with a passkey), then
 * the page reloaded: Clerk restores the session from the `__client` cookie.
 */
async function signedUp(username: string) {
  const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
  const authenticator = await authenticators.add();
  await openClerk(b.page);
  const sessionId = await b.page.evaluate((u) => window.latchkeySignUp(u), username);
  await b.page.reload();
  await waitLoaded(b.page);
  const restored = await b.page.evaluate(() => ({ user: window.clerk!.user?.username, session: window.clerk!.session?.id }));
  expect(restored).toEqual({ user: username, session: sessionId });
  return { authenticators, authenticator, sessionId };
}

/** `clerk.signOut()` navigates when done (to `redirectUrl`): back to this same page, loaded again. */
async function signOut(): Promise<void> {
  const navigated = b.page.waitForEvent('load');
  await b.page.evaluate(() => void window.clerk!.signOut({ redirectUrl: location.href }));
  await navigated;
  await waitLoaded(b.page);
}

/**
 * Runs `fn(arg)` in the page; a rejection comes back as its Clerk error code (API or runtime
 * error). `fn` travels as source text, so it may use only `arg` and the page's globals.
 */
function attempt<T, A = undefined>(fn: (arg: A) => Promise<T>, arg?: A): Promise<{ ok: T } | { code: string; message: string }> {
  return b.page.evaluate(`(async () => {
    try { return { ok: await (${fn.toString()})(${JSON.stringify(arg ?? null)}) }; }
    catch (e) { return { code: e.errors?.[0]?.code ?? e.code ?? 'unknown', message: String(e.message) }; }
  })()`);
}

describe('Clerk\'s clerk-js against Latchkey', () => {
  it('restores the session on reload and mints a session token with getToken()', async () => {
    const { sessionId } = await signedUp('ada');
    const jwt = await b.page.evaluate(() => window.clerk!.session!.getToken());
    const jwks = createLocalJWKSet(await latchkey.server.deps.keys.publicJwks());
    const { payload } = await jwtVerify(jwt!, jwks);
    expect(payload).toMatchObject({ sid: sessionId, azp: latchkey.origin });
    expect(payload.sub).toBe(await b.page.evaluate(() => window.clerk!.user!.id));
  });

  it('mints a JWT template token with getToken({ template })', async () => {
    await new JwtTemplates(latchkey.server.deps).create({ name: 'convex', claims: { aud: 'convex', name: '{{user.username}}' } });
    await signedUp('abe');
    const jwt = await b.page.evaluate(() => window.clerk!.session!.getToken({ template: 'convex' }));
    const { payload } = await jwtVerify(jwt!, createLocalJWKSet(await latchkey.server.deps.keys.publicJwks()), { audience: 'convex' });
    expect(payload).toMatchObject({ name: 'abe', azp: latchkey.origin });
    expect(payload.sid).toBeUndefined();
    expect(payload.sub).toBe(await b.page.evaluate(() => window.clerk!.user!.id));
  });

  it('creates, renames and deletes a passkey; the last one cannot be deleted', async () => {
    const { authenticators, authenticator } = await signedUp('bea');
    // A second device: the first one holds a credential the creation options exclude.
    await authenticators.remove(authenticator);
    await authenticators.add();
    const created = await attempt(async () => {
      const pk = await window.clerk!.user!.createPasskey();
      return { name: pk.name, status: pk.verification?.status, count: window.clerk!.user!.passkeys.length };
    });
    expect(created).toEqual({ ok: { name: expect.any(String), status: 'verified', count: 2 } });
    const renamed = await attempt(async () => {
      const pk = window.clerk!.user!.passkeys[1]!;
      await pk.update({ name: 'Work laptop' });
      return window.clerk!.user!.passkeys.map((p) => p.name);
    });
    expect(renamed).toEqual({ ok: [expect.any(String), 'Work laptop'] });
    const deleted = await attempt(async () => {
      await window.clerk!.user!.passkeys[0]!.delete();
      return window.clerk!.user!.passkeys.map((p) => p.name);
    });
    expect(deleted).toEqual({ ok: ['Work laptop'] });
    const last = await attempt(() => window.clerk!.user!.passkeys[0]!.delete());
    expect(last).toMatchObject({ code: 'passkey_last_remaining' });
  });

  it('cleans up after a failed ceremony: the pending passkey is deleted, not left behind', async () => {
    await signedUp('cal');
    const calls = recordApiCalls(b.page);
    // The same authenticator again: its credential is excluded, so the browser answers InvalidStateError.
    const failed = await attempt(() => window.clerk!.user!.createPasskey());
    expect(failed).toMatchObject({ code: 'passkey_already_exists' });
    const pending = calls.find((c) => c.startsWith('POST /me/passkeys '))!;
    expect(pending).toMatch(/ 200$/);
    expect(calls).toContainEqual(expect.stringMatching(/^DELETE \/me\/passkeys\/pk_\S+ 200$/));
    const left = await latchkey.server.deps.store.db.selectFrom('passkey_registrations').select('id').execute();
    expect(left).toEqual([]);
    expect(await b.page.evaluate(() => window.clerk!.user!.passkeys.length)).toBe(1);
  });

  for (const flow of ['discoverable', 'autofill'] as const) {
    it(`signs in with authenticateWithPasskey({ flow: '${flow}' }) and setActive; the completed sign-in stays on the client`, async () => {
      await signedUp(`dee_${flow}`);
      await signOut();
      expect(await b.page.evaluate(() => window.clerk!.user ?? null)).toBeNull();
      const result = await attempt(async (f) => {
        const signIn = await window.clerk!.client!.signIn.authenticateWithPasskey({ flow: f });
        await window.clerk!.setActive({ session: signIn.createdSessionId });
        return { status: signIn.status, user: window.clerk!.user?.username, current: window.clerk!.client!.signIn.status };
      }, flow);
      expect(result).toEqual({ ok: { status: 'complete', user: `dee_${flow}`, current: 'complete' } });
    });
  }

  it('signs out one of two sessions (POST …/remove) and reloads the other (session.reload())', async () => {
    // Clerk's multi-session mode, which the instance must allow (single-session is the default).
    await latchkey.server.deps.settings.update({ multiSession: true });
    const { sessionId: first } = await signedUp('eli');
    const calls = recordApiCalls(b.page);
    // Multi-session: a second sign-in on the same browser adds a session.
    const second = await attempt(async () => {
      const signIn = await window.clerk!.client!.signIn.authenticateWithPasskey({ flow: 'discoverable' });
      await window.clerk!.setActive({ session: signIn.createdSessionId });
      return { id: window.clerk!.session!.id, sessions: window.clerk!.client!.sessions.length };
    });
    expect(second).toMatchObject({ ok: { sessions: 2 } });
    const secondId = (second as { ok: { id: string } }).ok.id;
    expect(secondId).not.toBe(first);
    const after = await attempt(async () => {
      const firstId = window.clerk!.client!.sessions.find((s) => s.id !== window.clerk!.session!.id)!.id;
      await window.clerk!.signOut({ sessionId: firstId });
      const reloaded = await window.clerk!.session!.reload();
      return { sessions: window.clerk!.client!.sessions.map((s) => s.id), active: window.clerk!.session!.id, reloaded: reloaded.status, user: window.clerk!.user?.username };
    });
    expect(after).toEqual({ ok: { sessions: [secondId], active: secondId, reloaded: 'active', user: 'eli' } });
    expect(calls).toContainEqual(`POST /client/sessions/${first}/remove 200`);
    expect(calls).toContainEqual(`GET /client/sessions/${secondId} 200`);
  });
});

describe("Clerk's @clerk/react (Core 3, bundled mode) against Latchkey", () => {
  it('signs in with useSignIn(): signIn.passkey() then signIn.finalize({ navigate })', async () => {
    await signedUp('fay');
    await signOut();
    await b.page.goto(latchkey.pageUrl('react'));
    await b.page.getByTestId('who').filter({ hasText: 'signed out' }).waitFor();
    await b.page.getByTestId('passkey-sign-in').click();
    await b.page.getByTestId('outcome').filter({ hasText: 'navigated' }).waitFor();
    await b.page.getByTestId('who').filter({ hasText: 'signed in as fay' }).waitFor();
    expect(await b.page.getByTestId('global-error').textContent()).toBe('');
  });
});

describe("@latchkey/react with the guide's components in Core 3 style", () => {
  const who = (text: string) => b.page.getByTestId('who').filter({ hasText: text }).waitFor();

  /** Signs up on the page, then signs out: the passkey stays on the page's authenticator. */
  async function signedOutOnPage(username: string, query: Record<string, string> = {}) {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    const authenticator = await authenticators.add();
    await b.page.goto(latchkey.latchkeyUrl({ username, ...query }));
    await b.page.getByTestId('sign-up').click();
    await who(`signed in as ${username}`);
    return { authenticators, authenticator };
  }

  it('creates, renames and deletes passkeys; signs out and in with signIn.passkey() + finalize()', async () => {
    const { authenticators, authenticator } = await signedOutOnPage('gil');
    await authenticators.remove(authenticator);
    await authenticators.add();
    await b.page.getByTestId('create-passkey').click();
    await expect.poll(() => b.page.getByTestId('passkey').count()).toBe(2);
    const second = b.page.getByTestId('passkey').nth(1);
    const name = await second.getByTestId('passkey-name').textContent();
    await second.getByRole('button', { name: 'Rename' }).click();
    await b.page.getByTestId('passkey-name').filter({ hasText: `Renamed ${name}` }).waitFor();
    await b.page.getByTestId('passkey').nth(0).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => b.page.getByTestId('passkey').count()).toBe(1);

    await b.page.getByTestId('sign-out').click();
    await who('signed out');
    await b.page.getByTestId('core3-sign-in').click();
    await who('signed in as gil');
    expect(await b.page.getByTestId('core3-errors').count()).toBe(0); // unmounted once signed in
  });

  it('errors reports a refusal, fetchStatus returns to idle, and a retry signs in', async () => {
    await signedOutOnPage('hal');
    await b.page.getByTestId('sign-out').click();
    await who('signed out');
    await latchkey.server.deps.settings.update({ passkeysEnabled: false });
    try {
      await b.page.getByTestId('core3-sign-in').click();
      await b.page.getByTestId('core3-errors').filter({ hasText: 'feature_not_enabled' }).waitFor();
      expect(await b.page.getByTestId('core3-sign-in').isEnabled()).toBe(true);
    } finally {
      await latchkey.server.deps.settings.update({ passkeysEnabled: true });
    }
    await b.page.getByTestId('core3-sign-in').click();
    await who('signed in as hal');
  });

  it('signs in by autofill (signIn.passkey({ flow: "autofill" })) and with the legacy hook', async () => {
    await signedOutOnPage('ida');
    await b.page.getByTestId('sign-out').click();
    await who('signed out');
    await b.page.getByTestId('legacy-sign-in').click();
    await who('signed in as ida');
    await b.page.getByTestId('sign-out').click();
    await who('signed out');
    // Conditional mediation resolves at once in Chromium's virtual authenticator.
    await b.page.goto(latchkey.latchkeyUrl({ autofill: '1' }));
    await who('signed in as ida');
  });
});

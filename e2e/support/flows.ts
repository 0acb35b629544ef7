/**
 * What a user does on the demo's pages, as small steps the tests compose. Selectors are the
 * prebuilt components' data-testids and, for the guide's unchanged components (which have none),
 * their visible text inside the section the demo page wraps them in.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { BrowserSession } from './browser.js';

const SIGNED_IN = '[data-testid="signed-in-as"]';

/** Creates an account with a passkey on the prebuilt <SignUp>; ends on the home page, signed in. */
export async function signUp(page: Page, origin: string, username: string, o: { beforeSubmit?: () => Promise<unknown> } = {}): Promise<void> {
  await page.goto(`${origin}/sign-up`);
  await page.getByTestId('sign-up-username').fill(username);
  await o.beforeSubmit?.();
  await page.getByTestId('sign-up-submit').click();
  await page.waitForSelector(`${SIGNED_IN}:has-text("Signed in as ${username}")`);
}

/** Signs out with the prebuilt <UserButton /> in the header; ends on the home page, signed out. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-button-trigger').click();
  await page.getByTestId('user-button-sign-out').click();
  await page.getByTestId('signed-out').waitFor();
}

/**
 * Opens /sign-in without autofill, whose request would otherwise sign in before any click; waits
 * for <SignIn> (or its "turned off" state) to render.
 */
export async function openSignIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/sign-in?autofill=off`);
  await page.locator('[data-testid="sign-in"], [data-testid="sign-in-disabled"]').waitFor();
}

/** Presses the guide's own "Sign in with a passkey" button (not the prebuilt one). */
export async function clickGuideSignIn(page: Page): Promise<void> {
  await page.getByTestId('guide-sign-in').getByRole('button', { name: 'Sign in with a passkey' }).click();
}

export async function waitSignedIn(page: Page, username: string): Promise<void> {
  await page.waitForSelector(`${SIGNED_IN}:has-text("Signed in as ${username}")`);
}

/** The session JWT the SDK keeps in the `__session` cookie of the page's origin. */
export async function sessionCookie(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const m = document.cookie.match(/(?:^|;\s*)__session=([^;]+)/);
    return m ? decodeURIComponent(m[1]!) : null;
  });
}

/** The JSON /api-demo shows after calling /api/me with the session token. */
export async function apiDemo(page: Page, origin: string): Promise<{ status: string; body: Record<string, unknown> }> {
  await page.goto(`${origin}/api-demo`);
  const result = page.getByTestId('api-result');
  await result.waitFor();
  return { status: (await page.getByTestId('api-status').textContent()) ?? '', body: JSON.parse((await result.textContent()) ?? 'null') };
}

/** The names the guide's rename list shows ("Name: … | ID: …"), in order. */
export async function guidePasskeys(page: Page): Promise<{ name: string; id: string }[]> {
  const items = await page.getByTestId('guide-rename').locator('li').allTextContents();
  return items.map((text) => {
    const m = text.match(/^Name: (.*) \| ID: (.*)$/);
    if (!m) throw new Error(`unexpected passkey row: ${text}`);
    return { name: m[1]!, id: m[2]! };
  });
}

export interface WebAuthnCall {
  kind: 'create' | 'get';
  mediation: string | null;
  allowCredentials: number;
  rpId: string | null;
}

/**
 * Records each navigator.credentials call's options (before the page's scripts run), so a test
 * can tell an autofill request (mediation "conditional") from a button's, and an identifier-first
 * request (allowCredentials listed) from a discoverable one.
 */
export async function recordWebAuthnCalls(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const calls: unknown[] = [];
    (window as unknown as { __webauthnCalls: unknown[] }).__webauthnCalls = calls;
    const creds = navigator.credentials;
    const get = creds.get.bind(creds);
    const create = creds.create.bind(creds);
    creds.get = (o?: CredentialRequestOptions) => {
      calls.push({ kind: 'get', mediation: o?.mediation ?? null, allowCredentials: o?.publicKey?.allowCredentials?.length ?? 0, rpId: o?.publicKey?.rpId ?? null });
      return get(o);
    };
    creds.create = (o?: CredentialCreationOptions) => {
      calls.push({ kind: 'create', mediation: null, allowCredentials: 0, rpId: o?.publicKey?.rp.id ?? null });
      return create(o);
    };
  });
}

export async function webAuthnCalls(page: Page): Promise<WebAuthnCall[]> {
  return page.evaluate(() => (window as unknown as { __webauthnCalls?: WebAuthnCall[] }).__webauthnCalls ?? []);
}

/**
 * The guide's components report failures with `console.error('Error:', JSON.stringify(err))`:
 * waits for that line mentioning `code` and returns the error as the page serialized it.
 */
export async function guideError(b: BrowserSession, code: string): Promise<Record<string, unknown>> {
  const line = await b.waitForConsole(code);
  expect(line.startsWith('error: Error: ')).toBe(true);
  return JSON.parse(line.slice('error: Error: '.length)) as Record<string, unknown>;
}

/**
 * The prebuilt components in Chromium, behaviour by behaviour: links between sign-in and sign-up,
 * errors on the field or on the form, single-session mode, <UserButton /> (and its account
 * switching in multi-session mode), <UserProfile /> (profile, active devices, passkeys, delete
 * account), appearance and localization, and the demo's navigation at phone width. Screenshots at
 * desktop and phone width land in test-artifacts/.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, launchBrowser, PHONE, DESKTOP, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';
import { openSignIn, signOut, signUp, waitSignedIn } from './support/flows.js';

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
});
afterEach(() => closeBrowserForTest(b));

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();
/** A marker a full page load would wipe: links must navigate in place. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker);

async function liveSessionsOf(username: string): Promise<number> {
  const rows = await demo.server.deps.store.db
    .selectFrom('sessions')
    .innerJoin('identifiers', 'identifiers.user_id', 'sessions.user_id')
    .select('sessions.id')
    .where('identifiers.value', '=', username)
    .where('sessions.status', '=', 'active')
    .execute();
  return rows.length;
}

describe('<SignIn /> and <SignUp />', () => {
  it('link to each other in place, and sign-up says a username or an email will do', async () => {
    await openSignIn(b.page, origin);
    await mark(b.page);
    await b.page.getByTestId('sign-in-sign-up-link').click();
    await b.page.getByTestId('sign-up').waitFor();
    expect(new URL(b.page.url()).pathname).toBe('/sign-up');
    expect(await text(b.page, 'sign-up-hint')).toMatch(/username, an email address, or both/);
    expect(await b.page.getByTestId('sign-up').getByText('optional').count()).toBe(2);
    await b.page.getByTestId('sign-up-sign-in-link').click();
    await b.page.getByTestId('sign-in').waitFor();
    expect(new URL(b.page.url()).pathname).toBe('/sign-in');
    expect(await marked(b.page)).toBe(1);
  });

  it('put field errors on the field, and cancel or a deleted passkey on the form', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    await authenticators.add();
    await signUp(b.page, origin, 'fieldy');
    await signOut(b.page);

    // Taken username: on the username field, nothing on the form.
    await b.page.goto(`${origin}/sign-up`);
    await b.page.getByTestId('sign-up-username').fill('fieldy');
    await b.page.getByTestId('sign-up-submit').click();
    await b.page.getByTestId('sign-up-username-error').filter({ hasText: /taken/ }).waitFor();
    expect(await b.page.getByTestId('sign-up-username').getAttribute('aria-invalid')).toBe('true');
    expect(await text(b.page, 'sign-up-error')).toBe('');
    await b.screenshots('sign-up-field-error');

    // Empty identifier: on the field.
    await openSignIn(b.page, origin);
    await b.page.getByTestId('sign-in-continue').click();
    expect(await text(b.page, 'sign-in-identifier-error')).toBe('Enter your username or email address.');
    // An unknown name offers decoy credentials the authenticator does not hold: the browser
    // reports a cancelled ceremony, which is about no field — the field error is gone, the form says it.
    await b.page.getByTestId('sign-in-identifier').fill('nobody-here');
    await b.page.getByTestId('sign-in-continue').click();
    await b.page.getByTestId('sign-in-error').filter({ hasText: /./ }).waitFor();
    expect(await text(b.page, 'sign-in-error')).toBe('Sign-in was cancelled, or no passkey was chosen.');
    expect(await text(b.page, 'sign-in-identifier-error')).toBe('');
    expect(await b.page.getByTestId('sign-in-identifier').getAttribute('aria-invalid')).toBeNull();

    // The passkey was deleted on the server (another device, an administrator): on the form.
    await demo.server.deps.store.db.deleteFrom('passkeys').execute();
    await b.page.getByTestId('sign-in-passkey').click();
    await b.page.getByTestId('sign-in-error').filter({ hasText: /no longer registered/ }).waitFor();
    expect(await b.page.getByTestId('sign-in-identifier').getAttribute('aria-invalid')).toBeNull();
    await b.screenshots('sign-in-form-error');
  });

  it('put a rate limit on the form', async () => {
    const limited = await startDemo({ LATCHKEY_RATE_LIMIT: '4/600' });
    try {
      // An authenticator that holds no passkey for these names answers "cancelled" at once.
      await (await VirtualAuthenticators.attach(b.context, b.page)).add();
      await openSignIn(b.page, limited.origin());
      const alert = b.page.getByTestId('sign-in-error');
      // Each Continue costs two sign-in requests (create, prepare): the third press is refused.
      for (let i = 0; i < 3; i++) {
        await b.page.getByTestId('sign-in-identifier').fill(`nobody${i}`);
        await b.page.getByTestId('sign-in-continue').click();
        // Settled: the button is enabled again and the form says something.
        await b.page.waitForFunction(() => {
          const button = document.querySelector<HTMLButtonElement>('[data-testid="sign-in-continue"]');
          return button && !button.disabled && document.querySelector('[data-testid="sign-in-error"]')?.textContent;
        });
      }
      expect(await alert.textContent()).toBe('Too many attempts. Please wait a minute and try again.');
      expect(await b.page.getByTestId('sign-in-identifier').getAttribute('aria-invalid')).toBeNull();
    } finally {
      await limited.close();
    }
  });
});

describe('single-session mode (the default)', () => {
  it('a signed-in browser sees who is signed in instead of the forms; another tab that tries anyway gets session_exists', async () => {
    await openSignIn(b.page, origin);
    // A second tab of the same browser signs up meanwhile.
    const tab = await b.context.newPage();
    const authenticators = await VirtualAuthenticators.attach(b.context, tab);
    await authenticators.add();
    await signUp(tab, origin, 'tabby');
    await tab.close();

    // The first tab still shows the form; the server refuses a second account for this browser.
    await b.page.getByTestId('sign-in-passkey').click();
    await b.page.getByTestId('sign-in-error').filter({ hasText: /already signed in/ }).waitFor();
    expect(await liveSessionsOf('tabby')).toBe(1);

    await b.page.goto(`${origin}/sign-in`);
    expect(await text(b.page, 'sign-in-signed-in')).toContain('You are signed in as tabby.');
    await b.page.goto(`${origin}/sign-up`);
    await b.page.getByTestId('sign-up-signed-in').waitFor();
    expect(await b.page.getByTestId('sign-up-username').count()).toBe(0);
  });

  it('<UserButton /> names the account, links to the account page, and its Sign out ends every session', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    await authenticators.add();
    await signUp(b.page, origin, 'button.user');
    await b.page.getByTestId('user-button-trigger').click();
    expect(await text(b.page, 'user-button-name')).toBe('button.user');
    expect(await text(b.page, 'user-button-sign-out')).toBe('Sign out');
    expect(await b.page.getByTestId('user-button-switch').count()).toBe(0);
    await b.screenshots('user-button');
    await mark(b.page);
    await b.page.getByTestId('user-button-manage').click();
    await b.page.getByTestId('user-profile').waitFor();
    expect(new URL(b.page.url()).pathname).toBe('/account');
    expect(await marked(b.page)).toBe(1);

    await signOut(b.page);
    expect(await liveSessionsOf('button.user')).toBe(0);
    expect(await b.page.getByTestId('user-button-trigger').count()).toBe(0);
  });
});

describe('<UserProfile />', () => {
  it('edits the profile: a taken email is an error on its field, a saved change shows everywhere', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    await authenticators.add();
    await demo.server.deps.store.db
      .insertInto('users')
      .values({ id: 'user_other', user_handle: 'h-other', created_at: 0, updated_at: 0, last_sign_in_at: null })
      .execute();
    await demo.server.deps.store.db
      .insertInto('identifiers')
      .values({ id: 'idn_other', user_id: 'user_other', type: 'email_address', value: 'taken@example.com', normalized: 'taken@example.com', created_at: 0 })
      .execute();
    await signUp(b.page, origin, 'profiled');
    await b.page.goto(`${origin}/account`);
    await b.page.getByTestId('profile-edit').click();
    await b.page.getByTestId('profile-email').fill('Taken@Example.com');
    await b.page.getByTestId('profile-save').click();
    await b.page.getByTestId('profile-email-error').filter({ hasText: /taken/ }).waitFor();
    expect(await b.page.getByTestId('profile-email').getAttribute('aria-invalid')).toBe('true');
    expect(await text(b.page, 'profile-error')).toBe('');

    await b.page.getByTestId('profile-username').fill('profiled2');
    await b.page.getByTestId('profile-email').fill('me@example.com');
    await b.page.getByTestId('profile-save').click();
    await b.page.getByTestId('profile-status').filter({ hasText: 'Profile saved.' }).waitFor();
    expect(await text(b.page, 'profile-username-value')).toBe('profiled2');
    expect(await text(b.page, 'profile-email-value')).toBe('me@example.com');
    expect(await b.page.getByTestId('user-button-trigger').textContent()).toContain('profiled2');
  });

  it("lists this browser's and other browsers' sessions and ends another one", async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    const authenticator = await authenticators.add();
    await signUp(b.page, origin, 'devices');
    const [credential] = await authenticators.credentials(authenticator);

    // A second browser with the same passkey signs in too.
    const other = await launchBrowser();
    try {
      const otherAuth = await VirtualAuthenticators.attach(other.context, other.page);
      await otherAuth.addCredential(await otherAuth.add(), credential!);
      await openSignIn(other.page, origin);
      await other.page.getByTestId('sign-in-passkey').click();
      await waitSignedIn(other.page, 'devices');

      await b.page.goto(`${origin}/account`);
      const items = b.page.getByTestId('device-item');
      await b.page.waitForFunction(() => document.querySelectorAll('[data-testid="device-item"]').length === 2);
      const here = items.filter({ has: b.page.getByTestId('device-current') });
      expect(await here.getAttribute('data-this-browser')).toBe('true');
      expect(await here.textContent()).toContain('This browser');
      expect(await here.getByTestId('device-end').count()).toBe(0); // the user button signs this one out
      const away = items.filter({ hasText: 'Another browser or device' });
      await b.screenshots('account', { docs: true });

      await away.getByTestId('device-end').click();
      await b.page.getByTestId('devices-status').filter({ hasText: 'Signed out that session.' }).waitFor();
      await b.page.waitForFunction(() => document.querySelectorAll('[data-testid="device-item"]').length === 1);
      expect(await liveSessionsOf('devices')).toBe(1);
      // The other browser is signed out at its next look.
      await other.page.reload();
      await other.page.getByTestId('signed-out').waitFor();
    } finally {
      await other.close();
    }
  });

  it('refuses to delete the only passkey before asking, and a new error replaces an old success message', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    await authenticators.add();
    await signUp(b.page, origin, 'lastone');
    await b.page.goto(`${origin}/account`);
    const item = b.page.getByTestId('passkey-item');
    await item.waitFor();

    await item.getByTestId('passkey-delete').click();
    expect(await text(b.page, 'passkey-error')).toMatch(/your only passkey/);
    expect(await b.page.getByTestId('passkey-delete-confirm').count()).toBe(0);

    await item.getByTestId('passkey-rename').click();
    await b.page.getByTestId('passkey-rename-input').fill('Laptop');
    await b.page.getByTestId('passkey-rename-save').click();
    await b.page.getByTestId('passkey-status').filter({ hasText: 'Renamed the passkey to “Laptop”.' }).waitFor();
    expect(await text(b.page, 'passkey-error')).toBe('');

    // This authenticator already holds a passkey for the account: the browser refuses a second.
    await b.page.getByTestId('passkey-add').click();
    await b.page.getByTestId('passkey-error').filter({ hasText: /already holds a passkey/ }).waitFor();
    expect(await text(b.page, 'passkey-status')).toBe('');
  });

  it('deletes the account after a confirmation: signed out, and the name is free again', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    await authenticators.add();
    await signUp(b.page, origin, 'leaving');
    await b.page.goto(`${origin}/account`);
    await b.page.getByTestId('account-delete').click();
    // Focus starts on the harmless choice.
    expect(await b.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('account-delete-cancel');
    await b.page.getByTestId('account-delete-confirm').click();
    await b.page.getByTestId('signed-out').waitFor();
    const left = await demo.server.deps.store.db.selectFrom('identifiers').select('id').where('value', '=', 'leaving').execute();
    expect(left).toEqual([]);
  });
});

describe('multi-session mode', () => {
  it('<UserButton /> switches accounts and signs out one account at a time, naming it', async () => {
    const multi = await startDemo({ LATCHKEY_MULTI_SESSION: 'true' });
    try {
      const at = multi.origin();
      const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
      await authenticators.add();
      await signUp(b.page, at, 'bob');
      await signUp(b.page, at, 'carol'); // the sign-up form is open to a signed-in browser

      const menu = async () => {
        await b.page.getByTestId('user-button-trigger').click();
        await b.page.getByTestId('user-button-popover').waitFor();
      };
      await menu();
      expect(await text(b.page, 'user-button-sign-out')).toBe('Sign out of carol');
      expect(await b.page.getByTestId('user-button-switch').allTextContents()).toEqual(['BSwitch to bob']);
      await b.screenshots('user-button-multi', { docs: true });

      await b.page.getByTestId('user-button-switch').click();
      await waitSignedIn(b.page, 'bob');
      await menu();
      await b.page.getByTestId('user-button-sign-out').click();
      await b.page.getByTestId('user-button-status').filter({ hasText: 'Signed out of bob.' }).waitFor();
      await waitSignedIn(b.page, 'carol');

      await menu();
      expect(await b.page.getByTestId('user-button-switch').count()).toBe(0);
      await b.page.getByTestId('user-button-sign-out').click();
      await b.page.getByTestId('signed-out').waitFor();
    } finally {
      await multi.close();
    }
  });
});

describe('appearance, localization, phone width', () => {
  it('themes with variables and element classes, and speaks the given strings', async () => {
    await b.page.goto(`${origin}/branding`);
    const button = b.page.getByTestId('branded').getByTestId('sign-up-submit');
    await button.waitFor();
    const style = await button.evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, radius: s.borderTopLeftRadius, font: s.fontFamily, transform: s.textTransform };
    });
    expect(style).toEqual({ background: 'rgb(124, 58, 237)', radius: '14.4px', font: 'Georgia, serif', transform: 'uppercase' });

    const german = b.page.getByTestId('localized');
    expect(await german.getByRole('heading').textContent()).toBe('Bei Latchkey anmelden');
    await german.getByTestId('sign-in-continue').click();
    expect(await german.getByTestId('sign-in-identifier-error').textContent()).toBe('Bitte Benutzernamen oder E-Mail-Adresse eingeben.');
    expect(await german.getByTestId('sign-in-continue').textContent()).toBe('Weiter');
    await b.screenshots('branding');
  });

  it('the navigation folds behind a menu button at phone width, and works', async () => {
    await b.page.goto(`${origin}/`);
    const nav = b.page.getByTestId('main-nav');
    const toggle = b.page.getByTestId('menu-toggle');
    // Wait for the app to render its signed-out navigation (isVisible does not wait), then check
    // that at desktop width it shows without the menu button.
    await nav.getByRole('link', { name: 'Sign in' }).waitFor({ state: 'visible' });
    expect(await toggle.isVisible()).toBe(false);

    await b.page.setViewportSize(PHONE);
    try {
      await toggle.waitFor({ state: 'visible' });
      expect(await nav.isVisible()).toBe(false);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      // Nothing sticks out sideways.
      expect(await b.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await toggle.click();
      await nav.waitFor({ state: 'visible' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await b.screenshot('menu-open-phone');
      await nav.getByRole('link', { name: 'Sign in' }).click();
      await b.page.getByTestId('sign-in').waitFor();
      expect(new URL(b.page.url()).pathname).toBe('/sign-in');
      await nav.waitFor({ state: 'hidden' });
    } finally {
      await b.page.setViewportSize(DESKTOP);
    }
  });
});

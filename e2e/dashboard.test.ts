/**
 * The admin dashboard in Chromium, one administrator's journey on the demo server: the setup link
 * printed at first start → a passkey → sign out → sign in; the link refused a second time; the
 * dashboard API refused without the cookie or from another origin; passkeys switched off and on
 * (the demo's button gets feature_not_enabled, then works); a user's session revoked and passkey
 * deleted; the domain checker; API keys, webhooks, the audit log. Every page is photographed at
 * desktop and phone width (`LATCHKEY_UPDATE_DOCS_IMAGES=1` copies them into docs/images).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startupBanner } from '@latchkey/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticators } from './support/authenticator.js';
import { ARTIFACTS_DIR, DOCS_IMAGES_DIR, launchBrowser, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';
import { clickGuideSignIn, openSignIn, signOut, signUp, waitSignedIn } from './support/flows.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let demo: DemoServer;
let b: BrowserSession;
let sink: Server;

beforeAll(async () => {
  demo = await startDemo();
  b = await launchBrowser();
  await b.page.setViewportSize(DESKTOP);
  // A webhook receiver that accepts everything, for the delivery log.
  sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  const crashes = b?.messages.filter((m) => m.startsWith('pageerror')) ?? [];
  await b?.close();
  await demo?.close();
  await new Promise((resolve) => sink?.close(resolve));
  expect(crashes).toEqual([]);
});

/** `dashboard-<name>.png` at 1280×800 and `dashboard-<name>-phone.png` at 390×844, whole page. */
async function shots(page: Page, name: string, o: { phone?: (page: Page) => Promise<void> } = {}): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const files = [path.join(ARTIFACTS_DIR, `dashboard-${name}.png`), path.join(ARTIFACTS_DIR, `dashboard-${name}-phone.png`)];
  await page.screenshot({ path: files[0], fullPage: true });
  await page.setViewportSize(PHONE);
  try {
    await o.phone?.(page);
    await page.screenshot({ path: files[1], fullPage: true });
  } finally {
    await page.setViewportSize(DESKTOP);
  }
  if (process.env['LATCHKEY_UPDATE_DOCS_IMAGES'] === '1') {
    await mkdir(DOCS_IMAGES_DIR, { recursive: true });
    for (const f of files) await copyFile(f, path.join(DOCS_IMAGES_DIR, path.basename(f)));
  }
}

async function nav(page: Page, label: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe('admin dashboard', () => {
  it('an administrator sets up, signs in, manages sign-in options, users, domains, keys and webhooks', async () => {
    const origin = demo.origin();
    const admin = b.page;
    const authenticators = await VirtualAuthenticators.attach(b.context, admin);
    await authenticators.add();

    // First start: no administrator, so the banner prints the one-time setup link.
    const link = demo.server.setupLink!;
    expect(link).toMatch(new RegExp(`^${origin}/dashboard/setup\\?token=`));
    expect(startupBanner(demo.server).join('\n')).toContain(link);

    // Setup link → register an administrator passkey → the overview.
    await admin.goto(link);
    await admin.getByLabel('Your name').fill('Ada Admin');
    await shots(admin, 'setup');
    await admin.getByRole('button', { name: 'Create passkey' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // The page's security headers: no framing, scripts only from the server itself.
    const page = await fetch(`${origin}/dashboard/users`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('<div id="root">');
    const cookie = (await b.context.cookies(origin)).find((c) => c.name === 'latchkey_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    // Sign out, then back in with the passkey.
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
    await shots(admin, 'sign-in');
    await admin.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await admin.getByText('Signed in as Ada Admin').waitFor({ state: 'visible' });

    // The link does not work a second time.
    await admin.goto(link);
    await admin.getByRole('alert').filter({ hasText: 'This link does not work' }).waitFor();
    await admin.goto(`${origin}/dashboard`);
    await admin.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

    // The dashboard API: refused without the cookie, and with the cookie from a foreign origin.
    const withoutCookie = await admin.evaluate(async () => (await fetch('/dashboard/api/v1/users', { credentials: 'omit' })).json());
    expect(withoutCookie.errors[0].code).toBe('admin_session_required');
    const foreign = await fetch(`${origin}/dashboard/api/v1/instance`, {
      method: 'PATCH',
      headers: { cookie: `latchkey_admin=${cookie.value}`, origin: `http://evil.localhost:${demo.port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ passkeys_enabled: false }),
    });
    expect([foreign.status, ((await foreign.json()) as any).errors[0].code]).toEqual([400, 'origin_invalid']);
    expect((await demo.server.deps.settings.get()).passkeysEnabled).toBe(true);

    // A user of the demo app, in another tab with its own authenticator.
    const user = await b.context.newPage();
    const userConsole: string[] = [];
    const waiters = new Set<() => void>();
    user.on('console', (m) => {
      userConsole.push(m.text());
      for (const w of waiters) w();
    });
    /** Resolves once the user's page has logged a line matching `re` (before or after this call). */
    const consoleLine = (re: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => userConsole.some((t) => re.test(t)) && (waiters.delete(check), resolve());
        waiters.add(check);
        check();
      });
    await (await VirtualAuthenticators.attach(b.context, user)).add();
    await signUp(user, origin, 'grace');
    await signOut(user);

    // Sign-in options: passkeys off → the demo's passkey button gets feature_not_enabled.
    await nav(admin, 'Sign-in options', 'Sign-in options');
    await shots(admin, 'sign-in-options');
    await admin.getByRole('switch', { name: /^Passkeys/ }).click();
    await admin.getByRole('status').filter({ hasText: 'Passkeys off' }).waitFor();
    const environment = (await (await fetch(`${origin}/v1/environment`)).json()) as any;
    expect(environment.user_settings.attributes.passkey.enabled).toBe(false);
    await openSignIn(user, origin);
    await clickGuideSignIn(user);
    await consoleLine(/feature_not_enabled/);
    // On again → the same passkey signs in.
    await admin.getByRole('switch', { name: /^Passkeys/ }).click();
    await admin.getByRole('status').filter({ hasText: 'Passkeys on' }).waitFor();
    await user.reload();
    await clickGuideSignIn(user);
    await waitSignedIn(user, 'grace');

    // Users: search, the user's passkeys and sessions; revoke the session → signed out at the next refresh.
    await nav(admin, 'Users', 'Users');
    await admin.getByRole('searchbox').fill('grac');
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('link', { name: 'grace' }).waitFor();
    await shots(admin, 'users');
    await admin.getByRole('link', { name: 'grace' }).click();
    await admin.getByRole('heading', { level: 1, name: 'grace' }).waitFor();
    await admin.locator('[data-session]').filter({ hasText: 'active' }).first().waitFor();
    await shots(admin, 'user');
    const activeRow = admin.locator('[data-session]').filter({ has: admin.getByRole('button', { name: 'Revoke' }) });
    expect(await activeRow.count()).toBe(1);
    await activeRow.getByRole('button', { name: 'Revoke' }).click();
    await admin.getByRole('status').filter({ hasText: 'Session revoked' }).waitFor();
    await user.reload();
    await user.getByTestId('signed-out').waitFor();

    // Delete the passkey → it no longer signs in.
    await admin.locator('[data-passkey]').getByRole('button', { name: 'Delete' }).click();
    await admin.getByRole('status').filter({ hasText: 'deleted' }).waitFor();
    expect(await admin.locator('[data-passkey]').count()).toBe(0);
    userConsole.length = 0;
    await openSignIn(user, origin);
    await clickGuideSignIn(user);
    await consoleLine(/passkey_(not_registered|authentication_failure)/);
    expect(await user.getByTestId('signed-in-as').count()).toBe(0);

    // Sessions settings.
    await nav(admin, 'Sessions', 'Sessions');
    await admin.locator('input[name="token_seconds"]').fill('120');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').filter({ hasText: 'Session lifetimes saved' }).waitFor();
    expect((await demo.server.deps.settings.get()).tokenSeconds).toBe(120);
    await shots(admin, 'sessions');

    // API keys: shown once, then revoked.
    await nav(admin, 'API keys', 'API keys');
    await admin.getByLabel("New key's name").fill('billing service');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const key = (await admin.locator('[data-secret-key]').textContent())!;
    expect(key).toMatch(/^sk_test_/);
    const backend = await fetch(`${origin}/v1/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(backend.status).toBe(200);
    await shots(admin, 'api-keys');
    await admin.getByRole('button', { name: 'Done' }).click();
    admin.once('dialog', (d) => void d.accept());
    await admin.getByRole('button', { name: 'Revoke' }).click();
    await admin.getByText('revoked', { exact: true }).waitFor();
    expect((await fetch(`${origin}/v1/users`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);

    // Webhooks: an endpoint, a test event, its delivery in the log.
    await nav(admin, 'Webhooks', 'Webhooks');
    await admin.getByLabel('Endpoint URL').fill(`http://127.0.0.1:${(sink.address() as AddressInfo).port}/hooks`);
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    await admin.getByRole('button', { name: 'Delivery log' }).click();
    await admin.getByRole('button', { name: 'Send test event' }).click();
    await admin.getByRole('status').filter({ hasText: 'Test event queued' }).waitFor();
    // Delivered by the dispatcher after the call: refresh until it is in the log.
    await admin.waitForFunction(() => {
      if (document.querySelector('.deliveries tbody tr')) return true;
      [...document.querySelectorAll('button')].find((x) => x.textContent === 'Refresh log')?.click();
      return false;
    }, undefined, { polling: 250 });
    await admin.locator('.deliveries').getByText('succeeded').waitFor();
    await shots(admin, 'webhooks');

    // Audit log: newest first, filtered by type, the administrator as actor.
    await nav(admin, 'Audit log', 'Audit log');
    await admin.locator('table.audit tbody tr').first().waitFor();
    await shots(admin, 'audit');
    await admin.getByLabel('Type').selectOption('settings.updated');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await admin.waitForFunction(() => [...document.querySelectorAll('table.audit tbody tr td:nth-child(2)')].every((td) => td.textContent === 'settings.updated'));
    const actors = await admin.locator('table.audit tbody tr td:nth-child(3)').allTextContents();
    expect(actors.length).toBeGreaterThanOrEqual(3);
    expect(actors.every((a) => a.startsWith('admin adm_'))).toBe(true);

    // Overview with data: users, passkeys, sign-ins today and the chart.
    await nav(admin, 'Overview', 'Overview');
    expect(await admin.locator('[data-stat="users"]').textContent()).toBe('1');
    expect(Number(await admin.locator('[data-stat="sign-ins-today"]').textContent())).toBeGreaterThanOrEqual(1);
    // An invitation for the next administrator: a fresh one-time link.
    await admin.getByRole('button', { name: 'Invite an administrator' }).click();
    const invite = (await admin.locator('[data-invite]').textContent())!;
    expect(invite).toMatch(new RegExp(`^${origin}/dashboard/setup\\?token=`));
    expect(invite).not.toBe(link);
    expect(((await (await fetch(`${origin}/dashboard/api/setup?token=${new URL(invite).searchParams.get('token')}`)).json()) as any).valid).toBe(true);
    await shots(admin, 'overview', { phone: async (p) => void (await p.getByRole('button', { name: 'Menu' }).click()) });
    await admin.getByRole('navigation', { name: 'Dashboard' }).waitFor();

    // Domains last (it moves the RP ID away from localhost): the checker explains each case.
    await nav(admin, 'Domains', 'Domains');
    await admin.getByLabel('Instance domain').fill('staging1.example.com');
    await admin.getByLabel('RP ID (optional)').fill('staging1.example.com');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').filter({ hasText: 'Domains saved' }).waitFor();
    await admin.getByText('RP ID: staging1.example.com').waitFor();
    const check = async (value: string, verdict: string) => {
      await admin.getByLabel("Would passkeys work on this page's origin?").fill(value);
      await admin.getByRole('button', { name: 'Check' }).click();
      await admin.locator(`.check[data-verdict="${verdict}"]`).filter({ hasText: value.replace(/^https?:\/\//, '') }).waitFor();
    };
    await check('https://staging2.example.com', 'sibling_subdomain');
    await check('https://example-admin.com', 'other_site');
    await check('http://staging1.example.com', 'insecure_origin');
    await shots(admin, 'domains');
  });
});

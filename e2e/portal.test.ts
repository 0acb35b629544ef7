/**
 * The hosted account portal (/portal on the demo's server) in Chromium, as one user's journey:
 * a foreign `redirect_url` is refused; sign-up on the portal returns to the demo, signed in, and
 * the demo's server route sees the new user; a signed-in visit to sign-in goes straight on; the
 * account page adds, renames and deletes a passkey and ends another device's session; everything
 * in the instance's name and colours.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../packages/server/test/support/authenticator.js';
import { VirtualAuthenticators, type VirtualCredential } from './support/authenticator.js';
import { ARTIFACTS_DIR, DOCS_IMAGES_DIR, PHONE, browserForTest, closeBrowserForTest, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';

const FIREFOX_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0';
const DOCS_DESKTOP = { width: 1280, height: 800 };

let demo: DemoServer;
let origin: string;

beforeAll(async () => {
  demo = await startDemo({ LATCHKEY_APP_NAME: 'Acme', LATCHKEY_BRAND_COLOR: '#0f766e', LATCHKEY_BACKGROUND_COLOR: '#f0fdfa' });
  origin = demo.origin();
});
afterAll(async () => {
  await demo?.close();
});

/** `portal-<name>.png` at 1280×800 and `portal-<name>-phone.png` at 390×844; into docs/images with LATCHKEY_UPDATE_DOCS_IMAGES=1. */
async function screenshots(b: BrowserSession, name: string, o: { fullPage?: boolean } = {}): Promise<void> {
  const viewport = b.page.viewportSize();
  const files: string[] = [];
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  for (const [size, suffix] of [[DOCS_DESKTOP, ''], [PHONE, '-phone']] as const) {
    await b.page.setViewportSize(size);
    const file = path.join(ARTIFACTS_DIR, `portal-${name}${suffix}.png`);
    await b.page.screenshot({ path: file, fullPage: o.fullPage ?? false });
    files.push(file);
  }
  if (viewport) await b.page.setViewportSize(viewport);
  if (process.env['LATCHKEY_UPDATE_DOCS_IMAGES'] === '1') {
    await mkdir(DOCS_IMAGES_DIR, { recursive: true });
    for (const file of files) await copyFile(file, path.join(DOCS_IMAGES_DIR, path.basename(file)));
  }
}

async function userIdOf(username: string): Promise<string> {
  const row = await demo.server.deps.store.db.selectFrom('identifiers').select('user_id').where('type', '=', 'username').where('value', '=', username).executeTakeFirstOrThrow();
  return row.user_id;
}

async function liveSessionsOf(userId: string): Promise<number> {
  const rows = await demo.server.deps.store.db.selectFrom('sessions').select('id').where('user_id', '=', userId).where('status', '=', 'active').execute();
  return rows.length;
}

/**
 * Another device signs in with a passkey of the virtual authenticator, over the frontend API
 * from Node (not a second browser): the credential's private key, exported by Chromium, signs
 * the assertion.
 */
async function signInElsewhere(credential: VirtualCredential): Promise<void> {
  const device = new SoftwareAuthenticator();
  const privateKey = createPrivateKey({ key: Buffer.from(credential.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  device.credentials.push({
    id: new Uint8Array(Buffer.from(credential.credentialId, 'base64')),
    idB64: Buffer.from(credential.credentialId, 'base64').toString('base64url'),
    rpId: credential.rpId ?? 'localhost',
    userHandle: Buffer.from(credential.userHandle ?? '', 'base64').toString('base64url'),
    // Chromium picks the first algorithm the server offers that it supports: Ed25519 today.
    alg: privateKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'ES256',
    privateKey,
    publicKey: createPublicKey(privateKey),
    counter: credential.signCount,
  });
  let cookie = '';
  const post = async (p: string, params: Record<string, string>) => {
    const res = await fetch(`${origin}${p}`, {
      method: 'POST',
      headers: { origin, 'user-agent': FIREFOX_UA, 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
      body: new URLSearchParams(params),
    });
    const set = res.headers.get('set-cookie')?.match(/(__client=[^;]*)/);
    if (set) cookie = set[1]!;
    expect(res.status).toBe(200);
    return (await res.json()) as { response: any };
  };
  const created = (await post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
  const assertion = await device.get(JSON.parse(created.first_factor_verification.nonce), { origin });
  const done = await post(`/v1/client/sign_ins/${created.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: JSON.stringify(assertion) });
  expect(done.response.status).toBe('complete');
}

const passkeyCount = (b: BrowserSession, n: number) => b.page.waitForFunction((count) => document.querySelectorAll('[data-testid="passkey-item"]').length === count, n);
const deviceCount = (b: BrowserSession, n: number) => b.page.waitForFunction((count) => document.querySelectorAll('[data-testid="device-item"]').length === count, n);

describe('account portal', () => {
  let b: BrowserSession;

  it('signs up with redirect_url back to the demo, refuses a foreign one, and manages passkeys and sessions', async (ctx) => {
    b = await browserForTest(ctx);
    try {
      const authenticators = await VirtualAuthenticators.attach(b.context, b.page);

      // A foreign redirect_url: the notice says so, and sign-in is still offered here.
      await b.page.goto(`${origin}/portal/sign-in?redirect_url=${encodeURIComponent('https://evil.example/')}`);
      const refused = b.page.getByTestId('portal-redirect-refused');
      await refused.waitFor();
      expect(await b.page.getByTestId('portal-redirect-given').textContent()).toBe('https://evil.example/');
      expect(await refused.textContent()).toContain('not an allowed origin');
      await b.page.getByTestId('sign-in').waitFor();
      expect(new URL(b.page.url()).origin).toBe(origin);
      await screenshots(b, 'redirect-refused');

      // The sign-in page, themed: the instance's name in the header, title and component.
      await b.page.goto(`${origin}/portal/sign-in`);
      await b.page.getByTestId('sign-in').waitFor();
      expect(await b.page.getByTestId('portal-app-name').textContent()).toBe('Acme');
      await b.page.waitForFunction(() => document.title === 'Sign in · Acme');
      await screenshots(b, 'sign-in');

      // Sign up on the portal with redirect_url = the demo's API page.
      const firstAuthenticator = await authenticators.add();
      await b.page.goto(`${origin}/portal/sign-up?redirect_url=${encodeURIComponent(`${origin}/api-demo`)}`);
      await b.page.getByTestId('sign-up').waitFor();
      const colours = await b.page.evaluate(() => ({
        button: getComputedStyle(document.querySelector('[data-testid="sign-up-submit"]')!).backgroundColor,
        page: getComputedStyle(document.documentElement).backgroundColor,
      }));
      expect(colours).toEqual({ button: 'rgb(15, 118, 110)', page: 'rgb(240, 253, 250)' });
      expect(await b.page.locator('.lk-title').textContent()).toContain('Acme');
      // The footer link keeps the way back to the app.
      expect(await b.page.getByTestId('sign-up-sign-in-link').getAttribute('href')).toBe(`/portal/sign-in?redirect_url=${encodeURIComponent(`${origin}/api-demo`)}`);
      await screenshots(b, 'sign-up');
      await b.page.getByTestId('sign-up-username').fill('portal-ada');
      await b.page.getByTestId('sign-up-submit').click();
      await b.page.waitForURL(`${origin}/api-demo`);
      const result = b.page.getByTestId('api-result');
      await result.waitFor();
      const userId = await userIdOf('portal-ada');
      expect(await b.page.getByTestId('api-status').textContent()).toBe('HTTP 200');
      expect(JSON.parse((await result.textContent()) ?? 'null')).toMatchObject({ signedIn: true, userId });

      // Signed in: /sign-in goes straight to the (allowed) redirect ...
      await b.page.goto(`${origin}/portal/sign-in?redirect_url=${encodeURIComponent(`${origin}/`)}`);
      await b.page.waitForURL(`${origin}/`);
      await b.page.getByTestId('signed-in-as').filter({ hasText: 'portal-ada' }).waitFor();
      // ... and never to a foreign one, protocol-relative or not.
      await b.page.goto(`${origin}/portal/sign-in?redirect_url=${encodeURIComponent('//evil.example/')}`);
      await b.page.getByTestId('portal-redirect-refused').waitFor();
      await b.page.getByTestId('portal-go-user').waitFor();
      expect(new URL(b.page.url()).pathname).toBe('/portal/sign-in');
      // Without redirect_url, a signed-in visit goes to the account page.
      await b.page.goto(`${origin}/portal/sign-up`);
      await b.page.waitForURL(`${origin}/portal/user`);

      // The account page. A second passkey must land on another authenticator (the browser
      // would refuse the first as already registered), so take the first one away.
      await authenticators.remove(firstAuthenticator);
      const second = await authenticators.add();
      await b.page.goto(`${origin}/portal/user`);
      await passkeyCount(b, 1);
      await b.page.getByTestId('passkey-add').click();
      await passkeyCount(b, 2);
      expect(await b.page.getByTestId('passkey-name').allTextContents()).toEqual(['Chrome on Linux', 'Chrome on Linux 2']);

      // Another device signs in with the new passkey; the account page lists both sessions.
      const [added] = await authenticators.credentials(second);
      await signInElsewhere(added!);
      expect(await liveSessionsOf(userId)).toBe(2);
      await b.page.reload();
      await deviceCount(b, 2);
      await passkeyCount(b, 2);
      await screenshots(b, 'user', { fullPage: true });
      const away = b.page.getByTestId('device-item').filter({ hasNot: b.page.getByTestId('device-current') });
      expect(await away.textContent()).toContain('Another browser or device');
      await away.getByTestId('device-end').click();
      await deviceCount(b, 1);
      expect(await liveSessionsOf(userId)).toBe(1);

      // Rename the new passkey, then delete it.
      const row = b.page.getByTestId('passkey-item').filter({ hasText: 'Chrome on Linux 2' });
      await row.getByTestId('passkey-rename').click();
      await b.page.getByTestId('passkey-rename-input').fill('Work laptop');
      await b.page.getByTestId('passkey-rename-save').click();
      await b.page.getByTestId('passkey-name').filter({ hasText: 'Work laptop' }).waitFor();
      expect(await b.page.getByTestId('passkey-name').allTextContents()).toEqual(['Chrome on Linux', 'Work laptop']);
      const renamed = b.page.getByTestId('passkey-item').filter({ hasText: 'Work laptop' });
      await renamed.getByTestId('passkey-delete').click();
      await renamed.getByTestId('passkey-delete-confirm').click();
      await passkeyCount(b, 1);
      const stored = await demo.server.deps.store.db.selectFrom('passkeys').select('name').where('user_id', '=', userId).execute();
      expect(stored.map((p) => p.name)).toEqual(['Chrome on Linux']);
    } finally {
      await closeBrowserForTest(b);
    }
  });
});

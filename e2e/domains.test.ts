/**
 * Passkeys across subdomains, with `*.localhost` hosts (loopback, and secure contexts in Chromium,
 * so no TLS is needed). A passkey belongs to its RP ID: one made for the shared root domain works
 * on every subdomain; one scoped to a sibling subdomain does not.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';
import { apiDemo, clickGuideSignIn, guideError, openSignIn, recordWebAuthnCalls, signUp, waitSignedIn, webAuthnCalls } from './support/flows.js';

let b: BrowserSession;
const servers: DemoServer[] = [];

async function demoFor(env: Record<string, string>): Promise<DemoServer> {
  const demo = await startDemo(env);
  servers.push(demo);
  return demo;
}

beforeEach(async (ctx) => {
  b = await browserForTest(ctx);
  await recordWebAuthnCalls(b.page);
});
afterEach(async () => {
  try {
    await closeBrowserForTest(b);
  } finally {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  }
});

describe('domains', () => {
  it('a passkey made on app.localhost signs in on accounts.app.localhost (RP ID = the registrable domain)', async () => {
    const demo = await demoFor({ LATCHKEY_DOMAIN: 'app.localhost' });
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    const authenticator = await authenticators.add();

    await signUp(b.page, demo.origin('app.localhost'), 'hedy');
    const [credential] = await authenticators.credentials(authenticator);
    expect(credential!.rpId).toBe('app.localhost');

    // Another host: no cookie there, so signed out; the same authenticator offers the passkey.
    const accounts = demo.origin('accounts.app.localhost');
    await openSignIn(b.page, accounts);
    await clickGuideSignIn(b.page);
    await waitSignedIn(b.page, 'hedy');
    expect(await webAuthnCalls(b.page)).toMatchObject([{ kind: 'get', rpId: 'app.localhost' }]);
    const api = await apiDemo(b.page, accounts);
    expect(api.body).toMatchObject({ signedIn: true, userId: expect.stringMatching(/^user_/) });
  });

  it('a passkey scoped to staging1.app.localhost is not offered on staging2.app.localhost', async () => {
    const staging1 = await demoFor({ LATCHKEY_DOMAIN: 'staging1.app.localhost', LATCHKEY_RP_ID: 'staging1.app.localhost' });
    const staging2 = await demoFor({ LATCHKEY_DOMAIN: 'staging2.app.localhost', LATCHKEY_RP_ID: 'staging2.app.localhost' });
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    const authenticator = await authenticators.add();

    await signUp(b.page, staging1.origin('staging1.app.localhost'), 'ida');
    const [credential] = await authenticators.credentials(authenticator);
    expect(credential!.rpId).toBe('staging1.app.localhost');

    // staging2's own instance asks for its own RP ID; the authenticator holds nothing for it, and
    // the browser answers as it does for "no passkey chosen" (it never says which, on purpose).
    await openSignIn(b.page, staging2.origin('staging2.app.localhost'));
    await clickGuideSignIn(b.page);
    expect(await guideError(b, 'passkey_retrieval_cancelled')).toMatchObject({ code: 'passkey_retrieval_cancelled', latchkeyRuntimeError: true });
    expect(await webAuthnCalls(b.page)).toEqual([{ kind: 'get', mediation: null, allowCredentials: 0, rpId: 'staging2.app.localhost' }]);
    await expect(b.page.getByTestId('signed-in-as').count()).resolves.toBe(0);
  });

  it('a page on staging2.app.localhost cannot use the RP ID staging1.app.localhost at all', async () => {
    const staging1 = await demoFor({ LATCHKEY_DOMAIN: 'staging1.app.localhost', LATCHKEY_RP_ID: 'staging1.app.localhost' });
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    await authenticators.add();
    await signUp(b.page, staging1.origin('staging1.app.localhost'), 'joan');

    // The staging1 instance (which allows any *.localhost origin in development) hands a page on
    // staging2 request options for RP ID staging1.app.localhost: the browser refuses the ceremony
    // (WebAuthn §5.1.4.1: the RP ID must be the page's domain or a registrable suffix of it).
    await openSignIn(b.page, staging1.origin('staging2.app.localhost'));
    await clickGuideSignIn(b.page);
    expect(await guideError(b, 'passkey_invalid_rpID_or_domain')).toMatchObject({
      code: 'passkey_invalid_rpID_or_domain',
      message: expect.stringContaining('not a registrable domain suffix'),
    });
    expect(await webAuthnCalls(b.page)).toMatchObject([{ kind: 'get', rpId: 'staging1.app.localhost' }]);
    await expect(b.page.getByTestId('signed-in-as').count()).resolves.toBe(0);
  });
});

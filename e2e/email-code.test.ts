/**
 * Email-code sign-in in Chromium, the journey of a user who lost their device: their passkey does
 * not answer on this browser, so <SignIn> offers a code to their verified address; the code comes
 * from a real SMTP server; a wrong code is refused on the field; the right one signs them in, and
 * the component offers a new passkey, which signs them in afterwards. Screenshots at desktop
 * (1280×800) and phone (390×844) width go to docs/images/email-code-*.png.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { codeIn, TestSmtpServer } from '../packages/server/test/support/smtp-server.js';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, docsScreenshots, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';
import { signOut, waitSignedIn } from './support/flows.js';

let smtp: TestSmtpServer;
let demo: DemoServer;
let b: BrowserSession;
let origin: string;

beforeAll(async () => {
  smtp = new TestSmtpServer();
  const smtpUrl = await smtp.start();
  demo = await startDemo({ LATCHKEY_SMTP_URL: smtpUrl, LATCHKEY_EMAIL_FROM: 'Latchkey demo <no-reply@example.com>' });
  origin = demo.origin();
  await demo.server.deps.settings.update({ emailCodeSignIn: true });
});
afterAll(async () => {
  await demo?.close();
  await smtp?.close();
});
beforeEach(async (ctx) => {
  b = await browserForTest(ctx);
});
afterEach(() => closeBrowserForTest(b));

const shots = docsScreenshots;

it('a user whose passkey is gone signs in with an emailed code, then adds a new passkey that works', async () => {
  const { page, context } = b;
  const authenticators = await VirtualAuthenticators.attach(context, page);
  const lost = await authenticators.add();

  // An account with a username, an email address and a passkey on the (soon lost) authenticator.
  await page.goto(`${origin}/sign-up`);
  await page.getByTestId('sign-up-username').fill('robin');
  await page.getByTestId('sign-up-email').fill('robin@example.com');
  await page.getByTestId('sign-up-submit').click();
  await waitSignedIn(page, 'robin');
  // The address counts as verified (email verification at sign-up is its own journey, not this one).
  await demo.server.deps.store.db.updateTable('identifiers').set({ verified_at: Date.now() }).where('value', '=', 'robin@example.com').execute();
  await signOut(page);

  // The device is lost: a new, empty authenticator.
  await authenticators.remove(lost);
  const fresh = await authenticators.add();
  // The page's clock is Playwright's: the resend countdown runs out without the test waiting.
  await page.clock.install();
  await page.goto(`${origin}/sign-in?autofill=off`);
  await page.getByTestId('sign-in-identifier').fill('robin@example.com');
  await page.getByTestId('sign-in-continue').click();
  // No passkey here answers; the form offers the code instead.
  const useCode = page.getByTestId('sign-in-use-email-code');
  await useCode.waitFor();
  expect(await useCode.textContent()).toBe('Email a code to r***@example.com');
  await page.getByTestId('sign-in-error').filter({ hasText: /./ }).waitFor();
  await shots(page, 'email-code-offer');

  const sent = smtp.received.length;
  await useCode.click();
  await page.getByTestId('sign-in-email-code').waitFor();
  expect(await page.getByTestId('sign-in-email-code-sent-to').textContent()).toContain('r***@example.com');
  // The resend button counts down from 30 seconds before it can be used.
  const resend = page.getByTestId('sign-in-email-code-resend');
  expect(await resend.isDisabled()).toBe(true);
  expect(await resend.textContent()).toMatch(/^Send a new code in \d+ s$/);
  const mail = await smtp.waitFor((m) => smtp.received.indexOf(m) >= sent && m.to.includes('robin@example.com'));
  expect(mail.subject).toMatch(/^\d{6} is your Latchkey sign-in code$/);
  const first = codeIn(mail);

  // A wrong code is refused on the field.
  await page.getByTestId('sign-in-email-code-input').fill(first === '000000' ? '111111' : '000000');
  await page.getByTestId('sign-in-email-code-submit').click();
  await page.getByTestId('sign-in-email-code-input-error').filter({ hasText: 'That code is not right' }).waitFor();
  await shots(page, 'email-code-enter');

  // After the countdown, a new code replaces the first. The page's clock jumps 30 s; the server's
  // is real, so the sign-in's last send is moved 30 s back instead of waiting for it.
  await demo.server.deps.store.db
    .updateTable('sign_ins')
    .set((eb) => ({ email_code_sent_at: eb('email_code_sent_at', '-', 30_000) }))
    .where('identifier', '=', 'robin@example.com')
    .execute();
  await page.clock.fastForward(30_000);
  await page.waitForFunction(() => !(document.querySelector('[data-testid="sign-in-email-code-resend"]') as HTMLButtonElement).disabled);
  expect(await resend.textContent()).toBe('Send a new code');
  const resent = smtp.received.length;
  await resend.click();
  await page.getByTestId('sign-in-email-code-status').filter({ hasText: 'A new code is on its way.' }).waitFor();
  const code = codeIn(await smtp.waitFor((m) => smtp.received.indexOf(m) >= resent && m.to.includes('robin@example.com')));
  if (code !== first) {
    await page.getByTestId('sign-in-email-code-input').fill(first);
    await page.getByTestId('sign-in-email-code-submit').click();
    await page.getByTestId('sign-in-email-code-input-error').filter({ hasText: 'That code is not right' }).waitFor();
  }

  await page.getByTestId('sign-in-email-code-input').fill(code);
  await page.getByTestId('sign-in-email-code-submit').click();
  await page.getByTestId('sign-in-add-passkey').waitFor();
  await shots(page, 'email-code-add-passkey');
  await page.getByTestId('sign-in-add-passkey-create').click();
  await page.getByTestId('sign-in-add-passkey-continue').waitFor();
  expect(await authenticators.credentials(fresh)).toHaveLength(1);
  await page.getByTestId('sign-in-add-passkey-continue').click();
  await waitSignedIn(page, 'robin');
  // The owner is told a passkey was added.
  const notice = await smtp.waitFor((m) => m.to.includes('robin@example.com') && m.subject.includes('A passkey was added'));
  expect(notice.text).toContain(`${origin}/portal/user`);
  // The link opens the account portal on this server (which also hosts the demo).
  expect((await fetch(`${origin}/portal/user`)).headers.get('content-type')).toMatch(/text\/html/);

  // The new passkey signs in.
  await signOut(page);
  await page.goto(`${origin}/sign-in?autofill=off`);
  await page.getByTestId('sign-in-passkey').click();
  await waitSignedIn(page, 'robin');
});

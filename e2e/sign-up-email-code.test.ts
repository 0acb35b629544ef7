/**
 * Email verification at sign-up in Chromium, with the development mailbox (no SMTP: the demo runs
 * in development mode, and mail is shown at /dev/mailbox). With `emailVerification: 'required'`,
 * <SignUp> asks for the emailed code between the form and the passkey: a wrong code is refused on
 * the field, the resend button counts down 30 seconds, the right code (read from /dev/mailbox in a
 * second tab) leads to the passkey prompt and a signed-in account with a verified address.
 * Screenshots: docs/images/dev-mailbox.png (1280×800) and sign-up-email-code(-phone).png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, docsScreenshots, DOCS_IMAGES_DIR, type BrowserSession } from './support/browser.js';
import { startDemo, type DemoServer } from './support/demo-server.js';
import { waitSignedIn } from './support/flows.js';

let demo: DemoServer;
let b: BrowserSession;
let origin: string;

beforeAll(async () => {
  demo = await startDemo();
  origin = demo.origin();
  expect(demo.server.deps.email.mailbox).not.toBeNull();
  await demo.server.deps.settings.update({ emailVerification: 'required' });
});
afterAll(async () => {
  await demo?.close();
});
beforeEach(async (ctx) => {
  b = await browserForTest(ctx);
});
afterEach(() => closeBrowserForTest(b));

const shots = docsScreenshots;

/** Opens /dev/mailbox in `mailbox` until a message to `to` is there (newest first), and returns the codes to `to`, newest first. */
async function codesOnMailboxPage(mailbox: Page, to: string, atLeast: number): Promise<string[]> {
  for (;;) {
    await mailbox.goto(`${origin}/dev/mailbox`);
    const codes = await mailbox.locator('article').evaluateAll(
      (articles, address) =>
        articles
          .filter((a) => a.querySelector('.meta strong')?.textContent === address)
          .map((a) => /\b(\d{6}) is your .* verification code/.exec(a.querySelector('h2')?.textContent ?? '')?.[1] ?? null)
          .filter((c): c is string => c !== null),
      to,
    );
    if (codes.length >= atLeast) return codes;
    await mailbox.waitForTimeout(200);
  }
}

it('sign-up with a required email code: wrong code on the field, resend, code from /dev/mailbox, passkey, signed in', async () => {
  const { page, context } = b;
  const authenticators = await VirtualAuthenticators.attach(context, page);
  const device = await authenticators.add();
  await page.clock.install();

  await page.goto(`${origin}/sign-up`);
  await page.getByTestId('sign-up-username').fill('sasha');
  await page.getByTestId('sign-up-email').fill('sasha@example.com');
  await page.getByTestId('sign-up-submit').click();

  // The code step, before any passkey exists.
  await page.getByTestId('sign-up-email-code').waitFor();
  expect(await page.getByTestId('sign-up-email-code-sent-to').textContent()).toContain('sasha@example.com');
  expect(await authenticators.credentials(device)).toHaveLength(0);
  const input = page.getByTestId('sign-up-email-code-input');
  expect(await input.getAttribute('autocomplete')).toBe('one-time-code');
  expect(await input.getAttribute('inputmode')).toBe('numeric');
  const resend = page.getByTestId('sign-up-email-code-resend');
  expect(await resend.isDisabled()).toBe(true);
  expect(await resend.textContent()).toMatch(/^Send a new code in \d+ s$/);

  // The development mailbox in a second tab of the same browser.
  const mailbox = await context.newPage();
  const [first] = await codesOnMailboxPage(mailbox, 'sasha@example.com', 1);
  expect(first).toMatch(/^\d{6}$/);

  // Not six digits: refused in the browser; a wrong code: refused by the server, on the field.
  await input.fill('12');
  await page.getByTestId('sign-up-email-code-submit').click();
  await page.getByTestId('sign-up-email-code-input-error').filter({ hasText: 'Enter the six digits from the email.' }).waitFor();
  await input.fill(first === '000000' ? '111111' : '000000');
  await page.getByTestId('sign-up-email-code-submit').click();
  await page.getByTestId('sign-up-email-code-input-error').filter({ hasText: 'That code is not right' }).waitFor();
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByTestId('sign-up-email-code-error').textContent()).toBe('');

  // After the countdown, a new code. The page's clock jumps 30 s; the server's is real, so the
  // sign-up's last send is moved 30 s back instead of waiting.
  await demo.server.deps.store.db
    .updateTable('sign_ups')
    .set((eb) => ({ email_code_sent_at: eb('email_code_sent_at', '-', 30_000) }))
    .where('email_address', '=', 'sasha@example.com')
    .execute();
  await page.clock.fastForward(30_000);
  await page.waitForFunction(() => !(document.querySelector('[data-testid="sign-up-email-code-resend"]') as HTMLButtonElement).disabled);
  expect(await resend.textContent()).toBe('Send a new code');
  await resend.click();
  await page.getByTestId('sign-up-email-code-status').filter({ hasText: 'A new code is on its way.' }).waitFor();
  expect(await resend.isDisabled()).toBe(true);
  const [code] = await codesOnMailboxPage(mailbox, 'sasha@example.com', 2);

  await mailbox.setViewportSize({ width: 1280, height: 800 });
  await mkdir(DOCS_IMAGES_DIR, { recursive: true });
  await mailbox.screenshot({ path: path.join(DOCS_IMAGES_DIR, 'dev-mailbox.png') });
  await page.bringToFront();

  // The screenshot shows the step with the field's error from the wrong code.
  await input.fill(first === '000000' ? '111111' : '000000');
  await page.getByTestId('sign-up-email-code-submit').click();
  await page.getByTestId('sign-up-email-code-input-error').filter({ hasText: 'That code is not right' }).waitFor();
  await shots(page, 'sign-up-email-code');

  await input.fill(code!);
  await page.getByTestId('sign-up-email-code-submit').click();
  await waitSignedIn(page, 'sasha');
  expect(await authenticators.credentials(device)).toHaveLength(1);
  const row = await demo.server.deps.store.db.selectFrom('identifiers').select(['verified_at']).where('value', '=', 'sasha@example.com').executeTakeFirstOrThrow();
  expect(row.verified_at).not.toBeNull();
});

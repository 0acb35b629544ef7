/**
 * Security notices (issue 13, item 5): a passkey added, a passkey deleted, a recovery used and a
 * sign-in from a new device each email the user's verified address, through the outbox, to a real
 * SMTP server in the test; each links to the account portal. A user without a verified address
 * gets none, and a sign-in from a browser the user signed in from before is not "new".
 */
import { describe, expect, it } from 'vitest';
import { recoveryUsed } from '../../src/email/notices.js';
import type { InstanceSettings } from '../../src/settings/index.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { addPasskey, expectOk, signInDiscoverable, signUp } from '../support/flows.js';
import { createTestServer, type TestServer } from '../support/harness.js';
import { codeIn, type ReceivedMail, useTestSmtp } from '../support/smtp-server.js';

const smtp = useTestSmtp('all');

async function noticeServer(settings: Partial<InstanceSettings> = {}): Promise<TestServer> {
  return createTestServer({
    config: { email: { smtpUrl: smtp.url, from: 'Acme <no-reply@acme.test>', replyTo: null }, publicUrl: 'https://auth.acme.test' },
    settings: { emailVerification: 'required', applicationName: 'Acme', ...settings },
  });
}

/** Mail to `to` delivered since `mark` (after the outbox has run). */
async function mailSince(server: TestServer, to: string, mark: number): Promise<ReceivedMail[]> {
  while ((await server.deps.dispatcher.drain()) > 0);
  return smtp.server.received.slice(mark).filter((m) => m.to.includes(to));
}

/** A user with a verified address, signed up in `browser` with `auth`. */
async function verifiedUser(server: TestServer, email: string) {
  const b = server.browser();
  const auth = new SoftwareAuthenticator();
  const su = expectOk(await b.post('/v1/client/sign_ups', { email_address: email })).response;
  const mark = smtp.server.received.length;
  expectOk(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'email_code' }));
  await server.deps.dispatcher.drain();
  const code = codeIn(await smtp.server.waitFor((m) => smtp.server.received.indexOf(m) >= mark && m.to.includes(email)));
  expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'email_code', code }));
  const prep = expectOk(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'passkey' })).response;
  const credential = await auth.create(JSON.parse(prep.verifications.passkey.nonce), { origin: b.origin! });
  const done = expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }));
  return { browser: b, auth, sessionId: done.response.created_session_id as string, userId: done.response.created_user_id as string };
}

describe('security notices', () => {
  it('tells a verified address when a passkey is added or deleted, with a link to the account portal; an unverified one hears nothing', async () => {
    const server = await noticeServer();
    const ann = await verifiedUser(server, 'ann@example.com');
    // Signing up is not "a passkey added": the first passkey comes with the account.
    let mark = smtp.server.received.length;
    expect(await mailSince(server, 'ann@example.com', mark)).toEqual([]);

    const other = new SoftwareAuthenticator();
    const added = expectOk(await addPasskey(ann.browser, ann.sessionId, other)).response;
    const [addedMail, ...more] = await mailSince(server, 'ann@example.com', mark);
    expect(more).toEqual([]);
    expect(addedMail!.subject).toBe('Acme: A passkey was added to your account');
    expect(addedMail!.text).toContain(`A passkey named "${added.name}" was added to your Acme account on 2026-11-24 12:00:00 UTC.`);
    expect(addedMail!.text).toContain('https://auth.acme.test/portal/user');
    // The HTML part links to the portal (quoted-printable: soft line breaks undone, `=` is `=3D`).
    expect(addedMail!.raw.replace(/=\r?\n/g, '')).toContain('<a href=3D"https://auth.acme.test/portal/user">');

    mark = smtp.server.received.length;
    expectOk(await ann.browser.post(`/v1/me/passkeys/${added.id}?_method=DELETE&_clerk_session_id=${ann.sessionId}`));
    const [deletedMail] = await mailSince(server, 'ann@example.com', mark);
    expect(deletedMail!.subject).toBe('Acme: A passkey was removed from your account');
    expect(deletedMail!.text).toContain(`The passkey named "${added.name}" was removed`);

    // No verified address (verification off when this user signed up): no notices at all.
    await server.setSettings({ emailVerification: 'off' });
    const b = server.browser();
    const bob = await signUp(b, new SoftwareAuthenticator(), { email_address: 'bob@example.com' });
    mark = smtp.server.received.length;
    const bobsSecond = expectOk(await addPasskey(b, bob.sessionId, new SoftwareAuthenticator())).response;
    expectOk(await b.post(`/v1/me/passkeys/${bobsSecond.id}?_method=DELETE&_clerk_session_id=${bob.sessionId}`));
    expect(await mailSince(server, 'bob@example.com', mark)).toEqual([]);
    expect(await server.deps.store.db.selectFrom('outbox').select('id').where('topic', '=', 'email').execute()).toHaveLength(3);
  });

  it('tells of a sign-in from a browser the user never signed in from, once, when newDeviceNotice is on', async () => {
    const server = await noticeServer({ newDeviceNotice: true, emailCodeSignIn: true });
    const cat = await verifiedUser(server, 'cat@example.com');
    let mark = smtp.server.received.length;

    // The sign-up's browser is known: signing out and in again there is not new.
    expectOk(await cat.browser.post(`/v1/client/sessions/${cat.sessionId}/end`));
    await signInDiscoverable(cat.browser, cat.auth);
    expect(await mailSince(server, 'cat@example.com', mark)).toEqual([]);

    // Another browser (a phone's Safari): new, once.
    const phone = server.browser({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1' });
    const first = await signInDiscoverable(phone, cat.auth);
    const [notice, ...more] = await mailSince(server, 'cat@example.com', mark);
    expect(more).toEqual([]);
    expect(notice!.subject).toBe('Acme: New sign-in to your account');
    expect(notice!.text).toContain('from a new device (Safari on iOS)');
    expect(notice!.text).toContain('https://auth.acme.test/portal/user');
    mark = smtp.server.received.length;
    expectOk(await phone.post(`/v1/client/sessions/${first}/end`));
    await signInDiscoverable(phone, cat.auth);
    expect(await mailSince(server, 'cat@example.com', mark)).toEqual([]);

    // An email-code sign-in from a third browser: new too (the code's mail, then the notice).
    const laptop = server.browser();
    const si = expectOk(await laptop.post('/v1/client/sign_ins', { identifier: 'cat@example.com' })).response;
    expectOk(await laptop.post(`/v1/client/sign_ins/${si.id}/prepare_first_factor`, { strategy: 'email_code' }));
    const [codeMail] = await mailSince(server, 'cat@example.com', mark);
    mark = smtp.server.received.length;
    expectOk(await laptop.post(`/v1/client/sign_ins/${si.id}/attempt_first_factor`, { strategy: 'email_code', code: codeIn(codeMail!) }));
    expect((await mailSince(server, 'cat@example.com', mark)).map((m) => m.subject)).toEqual(['Acme: New sign-in to your account']);

    // Setting off: a new browser signs in without a notice.
    await server.setSettings({ newDeviceNotice: false });
    mark = smtp.server.received.length;
    await signInDiscoverable(server.browser(), cat.auth);
    expect(await mailSince(server, 'cat@example.com', mark)).toEqual([]);
  });

  it('recoveryUsed writes its notice in the caller’s transaction: committed with it, or not at all', async () => {
    const server = await noticeServer();
    const dan = await verifiedUser(server, 'dan@example.com');
    const mark = smtp.server.received.length;
    const db = server.deps.store.db;
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await recoveryUsed(server.deps, trx, { userId: dan.userId, now: server.clock.now() })).toBe(true);
        throw new Error('the recovery failed later in its transaction');
      }),
    ).rejects.toThrow('the recovery failed');
    expect(await mailSince(server, 'dan@example.com', mark)).toEqual([]);
    await db.transaction().execute((trx) => recoveryUsed(server.deps, trx, { userId: dan.userId, now: server.clock.now() }));
    const [mail] = await mailSince(server, 'dan@example.com', mark);
    expect(mail!.subject).toBe('Acme: Your account was recovered');
    expect(mail!.text).toContain('Someone signed in to your Acme account with a recovery code on 2026-11-24 12:00:00 UTC.');
    expect(mail!.text).toContain('https://auth.acme.test/portal/user');
    // A user without a verified address: nothing to write.
    expect(await db.transaction().execute((trx) => recoveryUsed(server.deps, trx, { userId: 'user_nobody', now: server.clock.now() }))).toBe(false);
  });
});

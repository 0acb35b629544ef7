/**
 * Email verification at sign-up, end to end: codes travel through the outbox and nodemailer to a
 * real SMTP server in the test, and the tests read them from the mail that arrived. Every rule
 * has its negative test: wrong, expired, reused, sixth attempt, another sign-up's code, another
 * address's code, a replaced code, the resend limits, and the setting switched off.
 */
import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { expectError, expectOk } from '../support/flows.js';
import { createTestServer, type TestBrowser, type TestServer } from '../support/harness.js';
import { codeIn, type ReceivedMail, useTestSmtp } from '../support/smtp-server.js';

const smtp = useTestSmtp('each');

async function emailServer(settings: Parameters<typeof createTestServer>[0] = {}): Promise<TestServer> {
  return createTestServer({
    config: { email: { smtpUrl: smtp.url, from: 'Acme <no-reply@acme.test>', replyTo: 'help@acme.test' }, trustProxy: true },
    settings: { emailVerification: 'required', applicationName: 'Acme', ...settings.settings },
  });
}

const fromIp = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

async function createSignUp(b: TestBrowser, email: string, ip = '192.0.2.1') {
  return expectOk(await b.post('/v1/client/sign_ups', { email_address: email }, fromIp(ip))).response;
}

function prepareCode(b: TestBrowser, id: string, ip = '192.0.2.1') {
  return b.post(`/v1/client/sign_ups/${id}/prepare_verification`, { strategy: 'email_code' }, fromIp(ip));
}

function attemptCode(b: TestBrowser, id: string, code: string) {
  return b.post(`/v1/client/sign_ups/${id}/attempt_verification`, { strategy: 'email_code', code });
}

/** Sends a code and returns the mail that carried it (delivered by the outbox dispatcher). */
async function sendCode(server: TestServer, b: TestBrowser, id: string, to: string, ip?: string): Promise<ReceivedMail> {
  const before = smtp.server.received.length;
  expectOk(await prepareCode(b, id, ip));
  await server.deps.dispatcher.drain();
  return smtp.server.waitFor((m) => smtp.server.received.indexOf(m) >= before && m.to.includes(to.toLowerCase()));
}

// Many requests per test, on two cores shared with other suites: a generous bound, not a timing claim.
const SLOW = 60_000;

describe('email verification at sign-up', () => {
  it('requires the emailed code before the passkey, then marks the address verified', async () => {
    const server = await emailServer();
    const b = server.browser();
    const su = await createSignUp(b, 'Ada@Example.com');
    expect(su.unverified_fields).toEqual(['email_address', 'passkey']);
    expect(su.verifications.email_address).toMatchObject({ status: 'unverified', strategy: null, next_action: 'needs_prepare', supported_strategies: ['email_code'] });

    // The passkey step is refused while the address is unverified.
    expectError(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'passkey' }), 422, 'email_address_unverified');

    const prepared = expectOk(await prepareCode(b, su.id)).response;
    expect(prepared.verifications.email_address).toMatchObject({ status: 'unverified', strategy: 'email_code', attempts: 0, next_action: 'needs_attempt' });
    expect(prepared.verifications.email_address.expire_at).toBe(server.clock.now() + 10 * 60_000);
    expect(await server.deps.dispatcher.drain()).toBe(1);
    const mail = await smtp.server.waitFor((m) => m.to.includes('ada@example.com'));
    expect(mail.subject).toMatch(/^\d{6} is your Acme verification code$/);
    expect(mail.raw).toMatch(/^From: Acme <no-reply@acme\.test>/m);
    expect(mail.raw).toMatch(/^Reply-To: help@acme\.test/m);
    expect(mail.raw).toMatch(/text\/html/);
    const code = codeIn(mail);

    // The database holds neither the code nor a plain hash of it: the outbox payload is sealed.
    const payloads = await server.deps.store.db.selectFrom('outbox').select('payload').execute();
    expect(payloads.map((p) => p.payload).join()).not.toContain(code);

    const verified = expectOk(await attemptCode(b, su.id, code));
    expect(verified.response.verifications.email_address).toMatchObject({ status: 'verified', attempts: 1, next_action: '' });
    expect(verified.response.unverified_fields).toEqual(['passkey']);

    const prep = expectOk(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'passkey' })).response;
    const credential = await new SoftwareAuthenticator().create(JSON.parse(prep.verifications.passkey.nonce), { origin: b.origin! });
    const done = expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }));
    expect(done.response.status).toBe('complete');
    const email = done.client.sessions[0].user.email_addresses[0];
    expect(email).toMatchObject({ email_address: 'Ada@Example.com', verification: { status: 'verified', strategy: 'email_code' } });
  }, SLOW);

  it('refuses a wrong code, counts it, and fails for good at the sixth attempt even with the right code', async () => {
    const server = await emailServer();
    const b = server.browser();
    const su = await createSignUp(b, 'bob@example.com');
    const code = codeIn(await sendCode(server, b, su.id, 'bob@example.com'));
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 5; i++) expectError(await attemptCode(b, su.id, wrong), 422, 'form_code_incorrect');
    expectError(await attemptCode(b, su.id, code), 422, 'verification_failed');
    const client = expectOk(await b.get('/v1/client')).response;
    expect(client.sign_up.verifications.email_address).toMatchObject({ status: 'failed', attempts: 5 });
    // A malformed code is refused without being an attempt.
    expectError(await attemptCode(b, su.id, '12ab'), 422, 'form_param_format_invalid');
  });

  it('refuses an expired code (10 minutes, on the test clock), then a new code works', async () => {
    const server = await emailServer();
    const b = server.browser();
    const su = await createSignUp(b, 'cy@example.com');
    const first = codeIn(await sendCode(server, b, su.id, 'cy@example.com'));
    server.clock.advance(10 * 60_000);
    expectError(await attemptCode(b, su.id, first), 400, 'verification_expired');
    expectError(await attemptCode(b, su.id, first), 400, 'verification_expired');
    const second = codeIn(await sendCode(server, b, su.id, 'cy@example.com'));
    if (second !== first) expectError(await attemptCode(b, su.id, first), 422, 'form_code_incorrect');
    expectOk(await attemptCode(b, su.id, second));
  });

  it('uses a code once: repeating a verified attempt is refused', async () => {
    const server = await emailServer();
    const b = server.browser();
    const su = await createSignUp(b, 'dee@example.com');
    const code = codeIn(await sendCode(server, b, su.id, 'dee@example.com'));
    expectOk(await attemptCode(b, su.id, code));
    expectError(await attemptCode(b, su.id, code), 400, 'verification_already_verified');
    expectError(await prepareCode(b, su.id), 400, 'verification_already_verified');
  });

  it("refuses another sign-up's code, another address's code, and a code that a resend replaced", async () => {
    const server = await emailServer();
    const alice = server.browser();
    const mallory = server.browser();
    const a = await createSignUp(alice, 'alice@example.com');
    const m = await createSignUp(mallory, 'mallory@example.com');
    const aliceCode = codeIn(await sendCode(server, alice, a.id, 'alice@example.com'));
    const malloryCode = codeIn(await sendCode(server, mallory, m.id, 'mallory@example.com'));
    // Mallory cannot verify with Alice's code (another address, another sign-up)...
    if (aliceCode !== malloryCode) expectError(await attemptCode(mallory, m.id, aliceCode), 422, 'form_code_incorrect');
    // ...nor act on Alice's sign-up at all: it belongs to another browser.
    expectError(await attemptCode(mallory, a.id, aliceCode), 404, 'resource_not_found');

    // A second sign-up of the same browser and address gets its own code; the first one's is worthless there.
    server.clock.advance(30_000);
    const again = await createSignUp(alice, 'alice@example.com');
    const againCode = codeIn(await sendCode(server, alice, again.id, 'alice@example.com'));
    if (againCode !== aliceCode) expectError(await attemptCode(alice, again.id, aliceCode), 422, 'form_code_incorrect');

    // A resend replaces the code.
    server.clock.advance(30_000);
    const replaced = codeIn(await sendCode(server, alice, again.id, 'alice@example.com'));
    if (replaced !== againCode) expectError(await attemptCode(alice, again.id, againCode), 422, 'form_code_incorrect');
    expectOk(await attemptCode(alice, again.id, replaced));
  });

  it('limits resends: a 30-second countdown per sign-up, 5 an hour per address, 20 an hour per IP', async () => {
    const server = await emailServer();
    const b = server.browser();
    const su = await createSignUp(b, 'eve@example.com');
    expectOk(await prepareCode(b, su.id));
    server.clock.advance(29_000);
    const early = await prepareCode(b, su.id);
    expectError(early, 429, 'too_many_requests');
    expect(early.headers.get('retry-after')).toBe('1');
    server.clock.advance(1_000);
    expectOk(await prepareCode(b, su.id));

    // Per address, across sign-ups and browsers: 5 in an hour.
    for (let i = 0; i < 3; i++) {
      const other = server.browser();
      expectOk(await prepareCode(other, (await createSignUp(other, 'EVE@example.com', `198.51.100.${i}`)).id, `198.51.100.${i}`));
    }
    const sixth = server.browser();
    const sixthSignUp = await createSignUp(sixth, 'eve@example.com', '198.51.100.9');
    expectError(await prepareCode(sixth, sixthSignUp.id, '198.51.100.9'), 429, 'too_many_requests');
    server.clock.advance(3600_000);
    expectOk(await prepareCode(sixth, sixthSignUp.id, '198.51.100.9'));

    // Per IP, across addresses: 20 in an hour.
    for (let i = 0; i < 20; i++) {
      const other = server.browser();
      expectOk(await prepareCode(other, (await createSignUp(other, `u${i}@example.com`, '203.0.113.5')).id, '203.0.113.5'));
    }
    const last = server.browser();
    expectError(await prepareCode(last, (await createSignUp(last, 'u20@example.com', '203.0.113.5')).id, '203.0.113.5'), 429, 'too_many_requests');
    // Refused sends wrote no mail: 2 + 3 + 1 + 20 were accepted.
    expect(await server.deps.dispatcher.drain()).toBe(26);
  }, SLOW);

  it('needs no code when the setting is off, and refuses the email_code strategy then', async () => {
    const server = await emailServer({ settings: { emailVerification: 'off' } });
    const b = server.browser();
    const su = await createSignUp(b, 'fay@example.com');
    expect(su.verifications.email_address).toBeNull();
    expect(su.unverified_fields).toEqual(['passkey']);
    expectError(await prepareCode(b, su.id), 422, 'form_param_format_invalid');
    // A sign-up without an email address has nothing to verify even when it is required.
    const required = await emailServer();
    const c = required.browser();
    const named = expectOk(await c.post('/v1/client/sign_ups', { username: 'fay' })).response;
    expect(named.verifications.email_address).toBeNull();
    expectError(await prepareCode(c, named.id), 422, 'form_param_missing');
  });
});

describe('email delivery through the outbox', () => {
  it('retries a temporary SMTP failure with backoff and gives up on a permanent one', async () => {
    const server = await emailServer();
    const b = server.browser();
    const su = await createSignUp(b, 'gil@example.com');
    smtp.server.failNext.push(451);
    expectOk(await prepareCode(b, su.id));
    expect(await server.deps.dispatcher.drain()).toBe(1);
    expect(smtp.server.received).toHaveLength(0);
    const [pending] = await server.deps.store.db.selectFrom('outbox').selectAll().where('topic', '=', 'email').execute();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending!.last_error).toMatch(/451/);
    expect(await server.deps.dispatcher.drain()).toBe(0); // not due yet
    server.clock.advance(5_000);
    expect(await server.deps.dispatcher.drain()).toBe(1);
    expect(codeIn(await smtp.server.waitFor((m) => m.to.includes('gil@example.com')))).toMatch(/^\d{6}$/);

    const other = server.browser();
    const su2 = await createSignUp(other, 'nobody@example.com', '192.0.2.9');
    smtp.server.failNext.push(550);
    expectOk(await prepareCode(other, su2.id, '192.0.2.9'));
    expect(await server.deps.dispatcher.drain()).toBe(1);
    const failed = await server.deps.store.db.selectFrom('outbox').selectAll().where('status', '=', 'failed').execute();
    expect(failed).toHaveLength(1);
    expect(server.logs.some((l) => l.includes('outbox message given up'))).toBe(true);
  });
});

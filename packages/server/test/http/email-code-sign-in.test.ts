/**
 * Email-code sign-in (setting `emailCodeSignIn`), end to end: codes travel through the outbox and
 * nodemailer to a real SMTP server in the test, and the tests read them from the mail that
 * arrived. Every code rule has its negative test (wrong, expired, reused, sixth attempt, another
 * sign-in's code, another address's code), the resend limits, and no enumeration: an unknown
 * identifier gets an answer of the same shape and nothing is sent.
 */
import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { attemptSignIn, expectError, expectOk } from '../support/flows.js';
import { createTestServer, type TestBrowser, type TestServer } from '../support/harness.js';
import { codeIn, type ReceivedMail, useTestSmtp } from '../support/smtp-server.js';

const smtp = useTestSmtp('each');

async function emailServer(settings: Parameters<typeof createTestServer>[0] = {}): Promise<TestServer> {
  return createTestServer({
    config: { email: { smtpUrl: smtp.url, from: 'Acme <no-reply@acme.test>', replyTo: null }, trustProxy: true },
    settings: { emailVerification: 'required', emailCodeSignIn: true, applicationName: 'Acme', ...settings.settings },
  });
}

const fromIp = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

/** The next mail to `to` that arrives after `before` mails had (delivered by the outbox dispatcher). */
async function nextMail(server: TestServer, to: string, before: number): Promise<ReceivedMail> {
  await server.deps.dispatcher.drain();
  return smtp.server.waitFor((m) => smtp.server.received.indexOf(m) >= before && m.to.includes(to.toLowerCase()));
}

/** A user with a verified email address (sign-up with the emailed code) and a passkey. */
async function verifiedUser(server: TestServer, email: string, username?: string) {
  const b = server.browser();
  const auth = new SoftwareAuthenticator();
  const su = expectOk(await b.post('/v1/client/sign_ups', { email_address: email, ...(username ? { username } : {}) }, fromIp('192.0.2.200'))).response;
  const before = smtp.server.received.length;
  expectOk(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'email_code' }, fromIp('192.0.2.200')));
  const code = codeIn(await nextMail(server, email, before));
  expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'email_code', code }));
  const prep = expectOk(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'passkey' })).response;
  const credential = await auth.create(JSON.parse(prep.verifications.passkey.nonce), { origin: b.origin! });
  const done = expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }));
  const user = done.client.sessions[0].user;
  return { userId: user.id as string, emailId: user.email_addresses[0].id as string, auth, browser: b };
}

function startSignIn(b: TestBrowser, identifier: string, ip = '192.0.2.1') {
  return b.post('/v1/client/sign_ins', { identifier }, fromIp(ip));
}
function prepareCode(b: TestBrowser, id: string, ip = '192.0.2.1', extra: Record<string, string> = {}) {
  return b.post(`/v1/client/sign_ins/${id}/prepare_first_factor`, { strategy: 'email_code', ...extra }, fromIp(ip));
}
function attemptCode(b: TestBrowser, id: string, code: string) {
  return b.post(`/v1/client/sign_ins/${id}/attempt_first_factor`, { strategy: 'email_code', code });
}

/** Sends a sign-in code and returns it, read from the mail that carried it. */
async function sendCode(server: TestServer, b: TestBrowser, id: string, to: string, ip?: string): Promise<string> {
  const before = smtp.server.received.length;
  expectOk(await prepareCode(b, id, ip));
  return codeIn(await nextMail(server, to, before));
}

/** A JSON value with every string and number replaced by its type: what an observer can compare. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return v === null ? null : typeof v;
}

const SLOW = 60_000;

describe('email-code sign-in', () => {
  it('offers the verified address masked, emails a code, signs in with it, and refuses it a second time', async () => {
    const server = await emailServer();
    const { emailId } = await verifiedUser(server, 'Ada@Example.com', 'ada');
    const b = server.browser();
    const created = expectOk(await startSignIn(b, 'ada@example.com')).response;
    expect(created.supported_first_factors).toEqual([
      { strategy: 'passkey' },
      { strategy: 'email_code', safe_identifier: 'a***@example.com', email_address_id: emailId, primary: true },
    ]);
    // The address is masked as typed (a decoy for an unknown address is too: the spelling tells nothing).
    const shouted = expectOk(await startSignIn(server.browser(), 'ADA@example.com')).response;
    expect(shouted.supported_first_factors[1]).toMatchObject({ safe_identifier: 'A***@example.com', email_address_id: emailId });
    // By username the same factor is offered, the stored address masked.
    const byName = expectOk(await startSignIn(server.browser(), 'ada')).response;
    expect(byName.supported_first_factors[1]).toMatchObject({ safe_identifier: 'A***@Example.com', email_address_id: emailId });

    const before = smtp.server.received.length;
    const prepared = expectOk(await prepareCode(b, created.id, '192.0.2.1', { email_address_id: emailId })).response;
    expect(prepared.status).toBe('needs_first_factor');
    expect(prepared.first_factor_verification).toMatchObject({ status: 'unverified', strategy: 'email_code', nonce: null, attempts: 0 });
    expect(prepared.first_factor_verification.expire_at).toBe(server.clock.now() + 10 * 60_000);
    const mail = await nextMail(server, 'ada@example.com', before);
    expect(mail.subject).toMatch(/^\d{6} is your Acme sign-in code$/);
    const code = codeIn(mail);
    // Neither the code nor its MAC reaches the database in clear, nor the answer.
    const payloads = await server.deps.store.db.selectFrom('outbox').select('payload').execute();
    expect(payloads.map((p) => p.payload).join()).not.toContain(code);

    const cookieBefore = b.cookie;
    const done = expectOk(await attemptCode(b, created.id, code));
    expect(done.response).toMatchObject({ status: 'complete', first_factor_verification: { status: 'verified', strategy: 'email_code', attempts: 1 } });
    expect(done.client.sessions.map((s: { id: string }) => s.id)).toEqual([done.response.created_session_id]);
    expect(b.cookie).not.toBe(cookieBefore); // rotated at sign-in: no session fixation
    const token = expectOk(await b.post(`/v1/client/sessions/${done.response.created_session_id}/tokens`));
    expect(token.jwt).toMatch(/^ey/);
    const events = await server.deps.store.db.selectFrom('audit_events').select(['type', 'data']).where('type', '=', 'sign_in.completed').execute();
    expect(events.some((e) => JSON.parse(e.data).strategy === 'email_code')).toBe(true);

    // Single use: the same code again, and a new code on the finished sign-in, are refused.
    expectError(await attemptCode(b, created.id, code), 400, 'sign_in_already_complete');
    expectError(await prepareCode(b, created.id), 400, 'sign_in_already_complete');
  }, SLOW);

  it('is off by default: no email factor, and the strategy is refused', async () => {
    const server = await emailServer({ settings: { emailCodeSignIn: false } });
    expect(expectOk(await server.browser().get('/v1/environment')).user_settings.attributes.email_address.first_factors).toEqual([]);
    await verifiedUser(server, 'bo@example.com');
    const b = server.browser();
    const created = expectOk(await startSignIn(b, 'bo@example.com')).response;
    expect(created.supported_first_factors).toEqual([{ strategy: 'passkey' }]);
    expectError(await prepareCode(b, created.id), 403, 'feature_not_enabled');
    expectError(await attemptCode(b, created.id, '123456'), 403, 'feature_not_enabled');
    // A sign-in without an identifier offers no email factor even when it is on.
    await server.setSettings({ emailCodeSignIn: true });
    expect(expectOk(await b.get('/v1/environment')).user_settings.attributes.email_address.first_factors).toEqual(['email_code']);
    const discoverable = expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
    expectError(await prepareCode(b, discoverable.id), 422, 'form_param_format_invalid');
  }, SLOW);

  it('answers an unknown identifier with the same shape, sends nothing, and never lets a code in', async () => {
    const server = await emailServer();
    await verifiedUser(server, 'cy@example.com', 'cyra');
    // Known but unverified: a user whose sign-up did not verify (verification off at the time).
    await server.setSettings({ emailVerification: 'off' });
    const unverified = server.browser();
    const su = expectOk(await unverified.post('/v1/client/sign_ups', { email_address: 'dot@example.com' })).response;
    const prep = expectOk(await unverified.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'passkey' })).response;
    const cred = await new SoftwareAuthenticator().create(JSON.parse(prep.verifications.passkey.nonce), { origin: unverified.origin! });
    expectOk(await unverified.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: cred }));
    await server.deps.dispatcher.drain();

    const sent = smtp.server.received.length;
    const answers = [];
    for (const [identifier, ip] of [
      ['cy@example.com', '192.0.2.11'],
      ['nobody@example.com', '192.0.2.12'],
      ['dot@example.com', '192.0.2.13'],
      ['cyra', '192.0.2.14'],
      ['nobody', '192.0.2.15'],
    ] as const) {
      const b = server.browser();
      const created = expectOk(await startSignIn(b, identifier, ip));
      const prepared = expectOk(await prepareCode(b, created.response.id, ip, { email_address_id: created.response.supported_first_factors[1].email_address_id }));
      answers.push({ identifier, b, created, prepared });
    }
    const [known, ...others] = answers;
    for (const other of others) {
      expect(shape(other.created.response)).toEqual(shape(known!.created.response));
      expect(shape(other.prepared.response)).toEqual(shape(known!.prepared.response));
      expect(shape(other.prepared.client)).toEqual(shape(known!.prepared.client));
      expect(other.created.response.supported_first_factors[1].email_address_id).toMatch(/^idn_[0-9a-v]{10}[A-Za-z0-9_-]{12}$/);
    }
    expect(answers[1]!.created.response.supported_first_factors[1].safe_identifier).toBe('n***@example.com');
    expect(answers[4]!.created.response.supported_first_factors[1].safe_identifier).toMatch(/^[a-z]\*\*\*@[a-z.]+$/);
    // The decoy is stable: asking again offers the same id.
    const again = expectOk(await startSignIn(server.browser(), 'nobody@example.com', '192.0.2.16')).response;
    expect(again.supported_first_factors[1]).toEqual(answers[1]!.created.response.supported_first_factors[1]);

    // Every prepare wrote an outbox message (the same work for known and unknown), but only the
    // known, verified address got mail (one for 'cy@example.com', one for 'cyra').
    expect(await server.deps.dispatcher.drain()).toBe(5);
    expect(smtp.server.received.slice(sent).map((m) => m.to)).toEqual([['cy@example.com'], ['cy@example.com']]);
    expect(await server.deps.store.db.selectFrom('outbox').select('status').where('status', '!=', 'done').execute()).toEqual([]);
    // A decoy's code never matches: every guess is just wrong, then the attempts run out.
    const decoy = answers[1]!;
    for (let i = 0; i < 5; i++) expectError(await attemptCode(decoy.b, decoy.created.response.id, String(100000 + i)), 422, 'form_code_incorrect');
    expectError(await attemptCode(decoy.b, decoy.created.response.id, '999999'), 422, 'verification_failed');
    // A wrong email_address_id is refused alike for known and unknown identifiers.
    for (const a of [known!, decoy]) {
      server.clock.advance(30_000);
      expectError(await prepareCode(a.b, a.created.response.id, '192.0.2.17', { email_address_id: 'idn_000000000000000000000a' }), 422, 'form_param_format_invalid');
    }
  }, SLOW);

  it('counts wrong codes and fails for good at the sixth attempt, even with the right code; expires after 10 minutes', async () => {
    const server = await emailServer();
    await verifiedUser(server, 'eve@example.com');
    const b = server.browser();
    const si = expectOk(await startSignIn(b, 'eve@example.com')).response;
    // No code sent yet: nothing to attempt.
    expectError(await attemptCode(b, si.id, '123456'), 400, 'verification_expired');
    const code = await sendCode(server, b, si.id, 'eve@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    expectError(await attemptCode(b, si.id, '12ab'), 422, 'form_param_format_invalid'); // not an attempt
    for (let i = 1; i <= 5; i++) expectError(await attemptCode(b, si.id, wrong), 422, 'form_code_incorrect');
    expectError(await attemptCode(b, si.id, code), 422, 'verification_failed');
    expect(expectOk(await b.get('/v1/client')).response.sign_in.first_factor_verification).toMatchObject({ status: 'failed', strategy: 'email_code', attempts: 5 });
    const failures = await server.deps.store.db.selectFrom('audit_events').select('data').where('type', '=', 'sign_in.failed').execute();
    // Each refused attempt is in the audit log: the one before any code, five wrong, the sixth.
    expect(failures.filter((f) => JSON.parse(f.data).strategy === 'email_code')).toHaveLength(7);

    // A new code after the countdown; it expires 10 minutes later on the test clock.
    server.clock.advance(30_000);
    const second = await sendCode(server, b, si.id, 'eve@example.com');
    server.clock.advance(10 * 60_000);
    expectError(await attemptCode(b, si.id, second), 400, 'verification_expired');
    expectError(await attemptCode(b, si.id, second), 400, 'verification_expired');
    expect(expectOk(await b.get('/v1/client')).response.sign_in.first_factor_verification.status).toBe('expired');
    // A third code works.
    const third = await sendCode(server, b, si.id, 'eve@example.com');
    expect(expectOk(await attemptCode(b, si.id, third)).response.status).toBe('complete');
  }, SLOW);

  it("refuses another sign-in's code, another address's code and a replaced code; the strategies do not cross", async () => {
    const server = await emailServer();
    await verifiedUser(server, 'fay@example.com');
    await verifiedUser(server, 'gus@example.com');
    const fay1 = server.browser();
    const fay2 = server.browser();
    const gus = server.browser();
    const a = expectOk(await startSignIn(fay1, 'fay@example.com')).response;
    const b = expectOk(await startSignIn(fay2, 'fay@example.com', '192.0.2.2')).response;
    const g = expectOk(await startSignIn(gus, 'gus@example.com', '192.0.2.3')).response;
    const aCode = await sendCode(server, fay1, a.id, 'fay@example.com');
    const bCode = await sendCode(server, fay2, b.id, 'fay@example.com', '192.0.2.2');
    const gCode = await sendCode(server, gus, g.id, 'gus@example.com', '192.0.2.3');
    // Another sign-in's code (same address), another address's code.
    if (aCode !== bCode) expectError(await attemptCode(fay2, b.id, aCode), 422, 'form_code_incorrect');
    if (gCode !== bCode) expectError(await attemptCode(fay2, b.id, gCode), 422, 'form_code_incorrect');
    // Another browser cannot act on the sign-in at all.
    expectError(await attemptCode(gus, a.id, aCode), 404, 'resource_not_found');

    // A passkey attempt cannot take an email code's verification (nor spend it).
    expectError(await attemptSignIn(fay1, a.id, { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: {} }), 400, 'verification_expired');

    // A resend replaces the code.
    server.clock.advance(30_000);
    const replaced = await sendCode(server, fay1, a.id, 'fay@example.com');
    if (replaced !== aCode) expectError(await attemptCode(fay1, a.id, aCode), 422, 'form_code_incorrect');
    // Preparing a passkey replaces the code too.
    expectOk(await fay2.post(`/v1/client/sign_ins/${b.id}/prepare_first_factor`, { strategy: 'passkey' }));
    expectError(await attemptCode(fay2, b.id, bCode), 400, 'verification_expired');
    expect(expectOk(await attemptCode(fay1, a.id, replaced)).response.status).toBe('complete');
  }, SLOW);

  it('limits resends: a 30-second countdown per sign-in, 5 an hour per address (decoys alike), 20 an hour per IP', async () => {
    const server = await emailServer();
    await verifiedUser(server, 'hal@example.com');
    server.clock.advance(3600_000); // the sign-up's code no longer counts
    for (const identifier of ['hal@example.com', 'ghost@example.com']) {
      const b = server.browser();
      const si = expectOk(await startSignIn(b, identifier, '198.51.100.1')).response;
      expectOk(await prepareCode(b, si.id, '198.51.100.1'));
      server.clock.advance(29_000);
      const early = await prepareCode(b, si.id, '198.51.100.1');
      expectError(early, 429, 'too_many_requests');
      expect(early.headers.get('retry-after')).toBe('1');
      server.clock.advance(1_000);
      expectOk(await prepareCode(b, si.id, '198.51.100.1'));
      // Per address, across sign-ins and networks: the sixth in an hour is refused, known or not.
      for (let i = 0; i < 3; i++) {
        const other = server.browser();
        expectOk(await prepareCode(other, expectOk(await startSignIn(other, identifier, `198.51.100.${10 + i}`)).response.id, `198.51.100.${10 + i}`));
      }
      const sixth = server.browser();
      const s6 = expectOk(await startSignIn(sixth, identifier, '198.51.100.20')).response;
      expectError(await prepareCode(sixth, s6.id, '198.51.100.20'), 429, 'too_many_requests');
    }
    server.clock.advance(3600_000);
    // Per IP, across addresses (sign-up codes count too): 20 in an hour.
    for (let i = 0; i < 20; i++) {
      const other = server.browser();
      expectOk(await prepareCode(other, expectOk(await startSignIn(other, `x${i}@example.com`, '203.0.113.5')).response.id, '203.0.113.5'));
    }
    const last = server.browser();
    expectError(await prepareCode(last, expectOk(await startSignIn(last, 'hal@example.com', '203.0.113.5')).response.id, '203.0.113.5'), 429, 'too_many_requests');
  }, SLOW);
});

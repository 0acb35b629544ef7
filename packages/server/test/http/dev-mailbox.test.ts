/**
 * The development mailbox: with no SMTP server in development, mail goes to `/dev/mailbox` and
 * the log; in production the page does not exist, and mail without SMTP is given up, not shown.
 */
import { describe, expect, it } from 'vitest';
import { expectError, expectOk } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

describe('/dev/mailbox', () => {
  it('shows the mail a development server without SMTP would have sent, and logs it', async () => {
    const server = await createTestServer({ settings: { emailVerification: 'required', applicationName: 'Acme <Dev>' } });
    const b = server.browser();
    const su = expectOk(await b.post('/v1/client/sign_ups', { email_address: 'dev@example.com' })).response;
    expectOk(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'email_code' }));
    expect(await server.deps.dispatcher.drain()).toBe(1);

    const json = expectOk(await b.get('/dev/mailbox.json'));
    expect(json.data).toHaveLength(1);
    expect(json.data[0]).toMatchObject({ to: 'dev@example.com', subject: expect.stringMatching(/^\d{6} is your Acme <Dev> verification code$/) });
    const code = json.data[0].subject.slice(0, 6);

    const page = await b.get('/dev/mailbox');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.body).toContain(code);
    expect(page.body).toContain('Acme &lt;Dev&gt;'); // escaped, never raw HTML from data
    expect(page.body).not.toContain('Acme <Dev>');
    expect(server.logs.some((l) => l.includes('development mailbox') && l.includes(code))).toBe(true);

    expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'email_code', code }));
  });

  it('does not exist in production, where mail without SMTP is given up and logged', async () => {
    const server = await createTestServer({ config: { mode: 'production' } });
    const b = server.browser();
    expectError(await b.get('/dev/mailbox'), 404, 'not_found');
    expectError(await b.get('/dev/mailbox.json'), 404, 'not_found');
    expect(server.deps.email.mailbox).toBeNull();
    await expect(server.deps.email.mailer.send({ id: 'msg_x', to: 'a@example.com', subject: 's', text: 't', html: 'h' })).rejects.toThrow(/no LATCHKEY_SMTP_URL/);
  });

  it('does not exist in development when SMTP is configured', async () => {
    const server = await createTestServer({ config: { email: { smtpUrl: 'smtp://127.0.0.1:1', from: 'x@example.com', replyTo: null } } });
    expectError(await server.browser().get('/dev/mailbox'), 404, 'not_found');
  });
});

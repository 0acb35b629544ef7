import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('email configuration', () => {
  it('defaults to no SMTP and a from-address on the domain', () => {
    expect(loadConfig({}).email).toEqual({ smtpUrl: null, from: 'no-reply@localhost', replyTo: null });
  });

  it('reads the SMTP URL, from and reply-to', () => {
    const c = loadConfig({
      LATCHKEY_SMTP_URL: 'smtps://user:pw@mail.example.com:465',
      LATCHKEY_EMAIL_FROM: 'Example <no-reply@example.com>',
      LATCHKEY_EMAIL_REPLY_TO: 'help@example.com',
    });
    expect(c.email).toEqual({ smtpUrl: 'smtps://user:pw@mail.example.com:465', from: 'Example <no-reply@example.com>', replyTo: 'help@example.com' });
  });

  it('refuses a bad URL, a bad address and SMTP without a from-address, naming each variable', () => {
    expect(() => loadConfig({ LATCHKEY_SMTP_URL: 'http://mail.example.com' })).toThrow(/LATCHKEY_SMTP_URL: must be a URL such as smtp:/);
    expect(() => loadConfig({ LATCHKEY_EMAIL_FROM: 'not an address' })).toThrow(/LATCHKEY_EMAIL_FROM must be an address/);
    // A line break would let a value inject headers.
    expect(() => loadConfig({ LATCHKEY_EMAIL_REPLY_TO: 'a@example.com\r\nBcc: x@evil.test' })).toThrow(ConfigError);
    expect(() => loadConfig({ LATCHKEY_SMTP_URL: 'smtp://mail.example.com' })).toThrow(/LATCHKEY_EMAIL_FROM: required with LATCHKEY_SMTP_URL/);
  });
});

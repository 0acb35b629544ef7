import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/index.js';
import { domainPolicy } from './index.js';
import { checkRedirectUrl } from './redirect.js';

const policy = domainPolicy({ ...defaultSettings, domain: 'example.com', allowedOrigins: ['https://partner.example.net'] }, 'production');
const rules = { base: 'https://accounts.example.com', isAllowedOrigin: policy.isAllowedOrigin };
const check = (raw: string) => checkRedirectUrl(raw, rules);

describe('redirect_url', () => {
  it('accepts URLs of allowed origins and paths of the portal, answering the parsed URL', () => {
    expect(check('https://app.example.com/welcome?x=1#top')).toEqual({ ok: true, url: 'https://app.example.com/welcome?x=1#top' });
    expect(check('https://example.com')).toEqual({ ok: true, url: 'https://example.com/' });
    expect(check('https://partner.example.net/')).toEqual({ ok: true, url: 'https://partner.example.net/' });
    expect(check('/user')).toEqual({ ok: true, url: 'https://accounts.example.com/user' });
    // Case in the scheme and host is normalised, not refused.
    expect(check('HTTPS://App.Example.com/')).toEqual({ ok: true, url: 'https://app.example.com/' });
  });

  it.each([
    ['another site', 'https://evil.com/'],
    ['a look-alike suffix', 'https://example.com.evil.com/'],
    ['a look-alike prefix', 'https://evilexample.com/'],
    ['plain http to the domain', 'http://app.example.com/'],
    ['another port', 'https://app.example.com:8443/'],
    ['an extra origin on another port', 'https://partner.example.net:444/'],
  ])('refuses %s as not allowed', (_what, raw) => {
    expect(check(raw)).toMatchObject({ ok: false, kind: 'not_allowed' });
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['JavaScript: in mixed case', 'JaVaScRiPt:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['protocol-relative', '//evil.com/'],
    ['protocol-relative to an allowed host', '//app.example.com/'],
    ['backslash protocol-relative', '/\\evil.com'],
    ['backslashes after the scheme', 'https:\\\\evil.com'],
    ['a backslash inside the authority', 'https://app.example.com\\@evil.com/'],
    ['scheme without slashes', 'https:evil.com'],
    ['userinfo pointing elsewhere', 'https://app.example.com@evil.com/'],
    ['userinfo on an allowed host', 'https://user:pass@app.example.com/'],
    ['a tab inside the scheme', 'java\tscript:alert(1)'],
    ['a newline', 'https://app.example.com/\nx'],
    ['a leading space', ' https://app.example.com/'],
    ['a bare host', 'evil.com'],
    ['a relative path', 'user'],
    ['ftp', 'ftp://app.example.com/'],
    ['the empty string', ''],
    ['a very long URL', `https://app.example.com/${'a'.repeat(2100)}`],
  ])('refuses %s as malformed', (_what, raw) => {
    expect(check(raw)).toMatchObject({ ok: false, kind: 'malformed' });
  });

  it('lets development origins on localhost through, and only those', () => {
    const dev = domainPolicy(defaultSettings, 'development');
    const devRules = { base: 'http://localhost:4000', isAllowedOrigin: dev.isAllowedOrigin };
    expect(checkRedirectUrl('http://localhost:5173/', devRules)).toEqual({ ok: true, url: 'http://localhost:5173/' });
    expect(checkRedirectUrl('http://app.localhost:5173/x', devRules)).toEqual({ ok: true, url: 'http://app.localhost:5173/x' });
    expect(checkRedirectUrl('http://localhost.evil.com/', devRules)).toMatchObject({ ok: false, kind: 'not_allowed' });
    expect(checkRedirectUrl('http://127.0.0.1:5173/', devRules)).toMatchObject({ ok: false, kind: 'not_allowed' });
  });
});

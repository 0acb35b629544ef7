import { describe, expect, it } from 'vitest';
import { hostnameProblem, originProblem, rpIdDomainProblem } from './rules.js';

describe('hostnameProblem', () => {
  it.each(['example.com', 'accounts.example.co.uk', 'alice.github.io', 'localhost', 'app.localhost', 'intranet', 'a-b.example.com'])(
    'accepts %s',
    (host) => expect(hostnameProblem(host)).toBeNull(),
  );
  it.each([
    ['Example.com', /lower-case host name/],
    ['https://example.com', /no scheme/],
    ['example.com:443', /lower-case host name/],
    ['example.com/path', /lower-case host name/],
    ['-bad.example.com', /lower-case host name/],
    ['', /lower-case host name/],
    ['127.0.0.1', /not an IP address/],
    ['com', /public suffix/],
    ['co.uk', /public suffix/],
    ['github.io', /public suffix/],
  ])('refuses %j', (host, why) => expect(hostnameProblem(host)).toMatch(why));
});

describe('originProblem', () => {
  it.each(['https://app.example.com', 'http://localhost:3000', 'https://example.com:8443'])('accepts %s', (origin) =>
    expect(originProblem(origin)).toBeNull(),
  );
  it.each(['https://example.com/', 'https://example.com/path', 'example.com', 'ftp://example.com', 'https://EXAMPLE.com', 'https://example.com:443', 'not a url', ''])(
    'refuses %j',
    (origin) => expect(originProblem(origin)).toMatch(/must be an origin like https:\/\/app\.example\.com/),
  );
});

describe('rpIdDomainProblem', () => {
  it('accepts the domain itself, a parent and a subdomain', () => {
    expect(rpIdDomainProblem('example.com', 'example.com')).toBeNull();
    expect(rpIdDomainProblem('example.com', 'accounts.example.com')).toBeNull();
    expect(rpIdDomainProblem('staging1.example.com', 'example.com')).toBeNull();
  });
  it('refuses an unrelated RP ID, including a look-alike suffix', () => {
    expect(rpIdDomainProblem('example.org', 'example.com')).toMatch(/no page of example\.com can use passkeys of example\.org/);
    expect(rpIdDomainProblem('ample.com', 'example.com')).toMatch(/must be the domain example\.com/);
  });
});

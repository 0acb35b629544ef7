import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/index.js';
import { domainPolicy, resolveRpId } from './index.js';

const prod = (o: Partial<typeof defaultSettings>) => domainPolicy({ ...defaultSettings, ...o }, 'production');

describe('RP ID', () => {
  it('is the registrable domain of the instance domain, public-suffix aware', () => {
    expect(resolveRpId({ domain: 'accounts.example.com', rpId: null })).toBe('example.com');
    expect(resolveRpId({ domain: 'auth.example.co.uk', rpId: null })).toBe('example.co.uk');
    // github.io is a (private) public suffix: each user site is its own site.
    expect(resolveRpId({ domain: 'alice.github.io', rpId: null })).toBe('alice.github.io');
    expect(resolveRpId({ domain: 'app.localhost', rpId: null })).toBe('app.localhost');
  });
  it('can be set explicitly, and is localhost when no domain is set', () => {
    expect(resolveRpId({ domain: 'example.com', rpId: 'staging1.example.com' })).toBe('staging1.example.com');
    expect(resolveRpId({ domain: null, rpId: null })).toBe('localhost');
  });
});

describe('allowed origins', () => {
  const p = prod({ domain: 'example.com', allowedOrigins: ['https://partner.example.net:8443'] });
  it('allows https on the domain and any subdomain', () => {
    expect(p.isAllowedOrigin('https://example.com')).toBe(true);
    expect(p.isAllowedOrigin('https://app.example.com')).toBe(true);
    expect(p.isAllowedOrigin('https://a.b.example.com')).toBe(true);
  });
  it('refuses other schemes, ports, look-alike and other sites', () => {
    expect(p.isAllowedOrigin('http://example.com')).toBe(false);
    expect(p.isAllowedOrigin('https://example.com:8443')).toBe(false);
    expect(p.isAllowedOrigin('https://example-admin.com')).toBe(false);
    expect(p.isAllowedOrigin('https://evilexample.com')).toBe(false);
    expect(p.isAllowedOrigin('https://example.com.evil.com')).toBe(false);
    expect(p.isAllowedOrigin('null')).toBe(false);
    expect(p.isAllowedOrigin('https://example.com/path')).toBe(false);
  });
  it('allows extra origins exactly, with their port', () => {
    expect(p.isAllowedOrigin('https://partner.example.net:8443')).toBe(true);
    expect(p.isAllowedOrigin('https://partner.example.net')).toBe(false);
  });
  it('allows localhost only in development', () => {
    expect(p.isAllowedOrigin('http://localhost:3000')).toBe(false);
    const dev = domainPolicy({ ...defaultSettings }, 'development');
    expect(dev.isAllowedOrigin('http://localhost:3000')).toBe(true);
    expect(dev.isAllowedOrigin('http://app.localhost:5173')).toBe(true);
    expect(dev.isAllowedOrigin('http://localhost.evil.com:3000')).toBe(false);
    expect(dev.rpId).toBe('localhost');
  });
});

describe('the subdomain wildcard', () => {
  it('can be switched off, leaving the domain itself and an exact list', () => {
    const p = prod({ domain: 'example.com', allowSubdomains: false, allowedOrigins: ['https://app.example.com'] });
    expect(p.isAllowedOrigin('https://example.com')).toBe(true);
    expect(p.isAllowedOrigin('https://app.example.com')).toBe(true);
    expect(p.isAllowedOrigin('https://user-content.example.com')).toBe(false);
    expect(p.webauthnOriginProblem('https://user-content.example.com')).not.toBeNull();
  });
});

describe('WebAuthn origins', () => {
  it('accepts subdomains of the RP ID and refuses a satellite domain with an explanation', () => {
    const p = prod({ domain: 'example.com', allowedOrigins: ['https://shop.example.org'] });
    expect(p.webauthnOriginProblem('https://accounts.example.com')).toBeNull();
    expect(p.webauthnOriginProblem('https://shop.example.org')).toMatch(/outside the passkey domain example\.com/);
  });
  it('accepts related origins (WebAuthn L3) for the same RP ID', () => {
    const p = prod({ domain: 'example.com', relatedOrigins: ['https://example.de'] });
    expect(p.webauthnOriginProblem('https://example.de')).toBeNull();
    expect(p.relatedOrigins).toEqual(['https://example.de']);
  });
  it('keeps a passkey scoped to one staging host off its sibling', () => {
    const p = prod({ domain: 'staging1.example.com', rpId: 'staging1.example.com' });
    expect(p.webauthnOriginProblem('https://staging1.example.com')).toBeNull();
    expect(p.webauthnOriginProblem('https://staging2.example.com')).not.toBeNull();
  });
});

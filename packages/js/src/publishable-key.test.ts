import { describe, expect, it } from 'vitest';
import { frontendApiUrlFromHost, parsePublishableKey, resolveFrontendApi } from './publishable-key.js';

const key = (prefix: string, host: string): string => prefix + btoa(`${host}$`);

describe('parsePublishableKey', () => {
  it('decodes host and port and the instance type', () => {
    expect(parsePublishableKey(key('pk_test_', 'localhost:4000'))).toEqual({ instanceType: 'development', frontendApiHost: 'localhost:4000' });
    expect(parsePublishableKey(key('pk_live_', 'clerk.example.com'))).toEqual({ instanceType: 'production', frontendApiHost: 'clerk.example.com' });
  });

  it('accepts keys whose base64 lost its padding', () => {
    const k = key('pk_test_', 'a.example.com').replace(/=+$/, '');
    expect(parsePublishableKey(k).frontendApiHost).toBe('a.example.com');
  });

  it('refuses a wrong prefix, bad base64 and a missing $ with a message that says what to fix', () => {
    expect(() => parsePublishableKey('sk_test_abc')).toThrow(/pk_test_ or pk_live_/);
    expect(() => parsePublishableKey('pk_test_@@@')).toThrow(/base64/);
    expect(() => parsePublishableKey('pk_test_' + btoa('example.com'))).toThrow(/<host>\$/);
  });
});

describe('frontendApiUrlFromHost', () => {
  it('uses http for localhost and *.localhost, https elsewhere', () => {
    expect(frontendApiUrlFromHost('localhost:4000')).toBe('http://localhost:4000');
    expect(frontendApiUrlFromHost('auth.app.localhost:4000')).toBe('http://auth.app.localhost:4000');
    expect(frontendApiUrlFromHost('clerk.example.com')).toBe('https://clerk.example.com');
    // A host that merely contains "localhost" is not local.
    expect(frontendApiUrlFromHost('localhost.example.com')).toBe('https://localhost.example.com');
    expect(frontendApiUrlFromHost('app.example.com/__clerk')).toBe('https://app.example.com/__clerk');
  });
});

describe('resolveFrontendApi', () => {
  it('lets an explicit frontendApi override the key', () => {
    expect(resolveFrontendApi(key('pk_test_', 'localhost:4000'), 'https://auth.example.com/')).toBe('https://auth.example.com');
    expect(resolveFrontendApi(undefined, 'http://localhost:4000/__clerk')).toBe('http://localhost:4000/__clerk');
  });

  it('derives the URL from the key when no override is given', () => {
    expect(resolveFrontendApi(key('pk_test_', 'localhost:4000'), undefined)).toBe('http://localhost:4000');
  });

  it('needs one of the two', () => {
    expect(() => resolveFrontendApi(undefined, undefined)).toThrow(/publishable key/);
  });
});

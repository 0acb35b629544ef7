import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('defaults to development on port 4000 with SQLite under .latchkey', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ mode: 'development', port: 4000, databaseUrl: null, publicUrl: 'http://localhost:4000' });
    expect(c.sqlitePath).toMatch(/\.latchkey\/latchkey\.db$/);
    expect(c.rateLimit).toEqual({ max: 60, windowSeconds: 60 });
  });
  it('reads PostgreSQL, Redis, rate limits and pinned settings', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db/x',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LATCHKEY_RATE_LIMIT: 'off',
      LATCHKEY_DOMAIN: 'example.com',
      LATCHKEY_ALLOW_SUBDOMAINS: 'false',
      LATCHKEY_ALLOWED_ORIGINS: 'https://a.example.net, https://b.example.net',
    });
    expect(c.databaseUrl).toBe('postgres://u@db/x');
    expect(c.rateLimit).toBeNull();
    expect(c.settingsOverrides).toEqual({
      domain: 'example.com',
      allowSubdomains: false,
      allowedOrigins: ['https://a.example.net', 'https://b.example.net'],
    });
  });
  it('names every bad variable and what to put there', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LATCHKEY_ALLOWED_ORIGINS: 'https://a.com/path', LATCHKEY_RATE_LIMIT: 'lots' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/PORT/);
    expect(msg).toMatch(/DATABASE_URL: must start with postgres:\/\//);
    expect(msg).toMatch(/LATCHKEY_ALLOWED_ORIGINS/);
    expect(msg).toMatch(/LATCHKEY_RATE_LIMIT: must be "off"/);
    expect(() => loadConfig({ LATCHKEY_RATE_LIMIT: '0/60' })).toThrow(/LATCHKEY_RATE_LIMIT/);
    expect(() => loadConfig({ LATCHKEY_RATE_LIMIT: '60/0' })).toThrow(/LATCHKEY_RATE_LIMIT/);
    expect(() => loadConfig({ LATCHKEY_PG_PREPARED: 'false' })).toThrow(/LATCHKEY_PG_PREPARED: must be on or off/);
  });
  it('prepares PostgreSQL statements unless LATCHKEY_PG_PREPARED=off (a pooler that cannot keep them)', () => {
    expect(loadConfig({}).pgPreparedStatements).toBe(true);
    expect(loadConfig({ LATCHKEY_PG_PREPARED: 'on' }).pgPreparedStatements).toBe(true);
    expect(loadConfig({ LATCHKEY_PG_PREPARED: 'off' }).pgPreparedStatements).toBe(false);
  });
  it('checks domains, RP IDs and origins with the same rules as the instance settings', () => {
    expect(() => loadConfig({ LATCHKEY_DOMAIN: 'com' })).toThrow(/LATCHKEY_DOMAIN: must not be a public suffix/);
    expect(() => loadConfig({ LATCHKEY_RP_ID: '192.168.1.10' })).toThrow(/LATCHKEY_RP_ID: must be a host name, not an IP address/);
    expect(() => loadConfig({ LATCHKEY_RELATED_ORIGINS: 'https://ok.example.org,https://example.org/' })).toThrow(
      /LATCHKEY_RELATED_ORIGINS.1: "https:\/\/example.org\/" must be an origin/,
    );
    expect(() => loadConfig({ LATCHKEY_DOMAIN: 'example.com', LATCHKEY_RP_ID: 'example.org' })).toThrow(
      /LATCHKEY_RP_ID: must be the domain example.com, a parent or a subdomain of it/,
    );
    expect(loadConfig({ LATCHKEY_DOMAIN: 'accounts.example.com', LATCHKEY_RP_ID: 'example.com' }).settingsOverrides).toEqual({
      domain: 'accounts.example.com',
      rpId: 'example.com',
    });
  });
  it('pins the portal colours, # and six hex digits only', () => {
    expect(loadConfig({ LATCHKEY_BRAND_COLOR: '#0F766E', LATCHKEY_BACKGROUND_COLOR: '#f0fdfa' }).settingsOverrides).toEqual({
      brandColor: '#0F766E',
      backgroundColor: '#f0fdfa',
    });
    expect(() => loadConfig({ LATCHKEY_BRAND_COLOR: 'teal', LATCHKEY_BACKGROUND_COLOR: '#fff' })).toThrow(
      /LATCHKEY_BRAND_COLOR: must be a colour in the form #4f46e5[\s\S]*LATCHKEY_BACKGROUND_COLOR: must be a colour/,
    );
  });
  it('requires a domain and an https public URL in production', () => {
    expect(() => loadConfig({ LATCHKEY_MODE: 'production' })).toThrow(/LATCHKEY_DOMAIN: required in production[\s\S]*LATCHKEY_PUBLIC_URL/);
    expect(() => loadConfig({ NODE_ENV: 'production', LATCHKEY_DOMAIN: 'example.com', LATCHKEY_PUBLIC_URL: 'http://auth.example.com' })).toThrow(
      /must be https/,
    );
    expect(loadConfig({ NODE_ENV: 'production', LATCHKEY_DOMAIN: 'example.com', LATCHKEY_PUBLIC_URL: 'https://auth.example.com' }).mode).toBe(
      'production',
    );
  });

  it('refuses a port that is not a whole number, a public URL without scheme, a HOST with one', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ PORT: 'abc' })).toEqual(['PORT: must be a whole number from 0 to 65535, e.g. 4000 (0 picks a free port)']);
    expect(problems({ PORT: '65536' })).toHaveLength(1);
    expect(problems({ PORT: '-1' })).toHaveLength(1);
    expect(problems({ PORT: '4000.5' })).toHaveLength(1);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    for (const url of ['localhost:4000', 'auth.example.com', 'ftp://auth.example.com', 'http://u:p@localhost:4000', 'http://localhost:4000/?x=1']) {
      expect(problems({ LATCHKEY_PUBLIC_URL: url })[0]).toMatch(/^LATCHKEY_PUBLIC_URL: must be a URL with its scheme/);
    }
    expect(loadConfig({ LATCHKEY_PUBLIC_URL: 'http://localhost:4000/' }).publicUrl).toBe('http://localhost:4000');
    for (const host of ['http://localhost', 'localhost:4000', '0.0.0.0/0', '', 'two words']) expect(problems({ HOST: host })[0]).toMatch(/^HOST: /);
    for (const host of ['localhost', '0.0.0.0', '::', '::1', '192.168.1.10', 'app-server.internal']) expect(loadConfig({ HOST: host }).host).toBe(host);
  });
});

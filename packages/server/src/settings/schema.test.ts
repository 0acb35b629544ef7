import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../errors/index.js';
import { defaultSettings, type InstanceSettings, settingsProblems, validateSettings } from './schema.js';

const withPatch = (patch: Partial<Record<keyof InstanceSettings, unknown>>) => ({ ...defaultSettings, ...patch });

function refusal(patch: Partial<Record<keyof InstanceSettings, unknown>>): LatchkeyError {
  try {
    validateSettings(withPatch(patch));
  } catch (err) {
    if (err instanceof LatchkeyError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(patch)}`);
}

describe('validateSettings', () => {
  it('accepts the defaults and a complete production setup', () => {
    expect(validateSettings(defaultSettings)).toEqual(defaultSettings);
    const prod = withPatch({
      domain: 'accounts.example.com',
      rpId: 'example.com',
      allowedOrigins: ['https://example.org', 'http://localhost:3000'],
      relatedOrigins: ['https://example.co.uk'],
    });
    expect(validateSettings(prod)).toEqual(prod);
    expect(validateSettings(withPatch({ domain: 'example.com', rpId: 'staging1.example.com' })).rpId).toBe('staging1.example.com');
    expect(validateSettings(withPatch({ domain: 'alice.github.io' })).domain).toBe('alice.github.io');
  });

  it.each([
    ['domain', { domain: 'https://example.com' }, /domain "https:\/\/example.com" must be a lower-case host name/],
    ['domain', { domain: 'Example.com' }, /lower-case host name/],
    ['domain', { domain: 'com' }, /must not be a public suffix/],
    ['domain', { domain: 'github.io' }, /must not be a public suffix/],
    ['domain', { domain: '10.0.0.1' }, /not an IP address/],
    ['rp_id', { rpId: 'example.com:443' }, /rp_id "example.com:443" must be a lower-case host name/],
    ['rp_id', { rpId: 'co.uk' }, /must not be a public suffix/],
    ['rp_id', { domain: 'example.com', rpId: 'example.org' }, /rp_id "example.org" must be the domain example\.com, a parent or a subdomain/],
    ['allowed_origins', { allowedOrigins: ['https://ok.example.com', 'https://example.com/'] }, /allowed_origins\[1\] "https:\/\/example.com\/" must be an origin/],
    ['allowed_origins', { allowedOrigins: ['example.com'] }, /allowed_origins\[0\] "example.com" must be an origin/],
    ['allowed_origins', { allowedOrigins: ['javascript:alert(1)'] }, /must be an origin/],
    ['related_origins', { relatedOrigins: ['https://example.org/login'] }, /related_origins\[0\] .* must be an origin/],
    ['allowed_origins', { allowedOrigins: 'https://example.com' }, /allowed_origins: /],
    ['related_origins', { relatedOrigins: [42] }, /related_origins\[0\]: /],
    ['max_passkeys_per_user', { maxPasskeysPerUser: 0 }, /max_passkeys_per_user: /],
    ['token_seconds', { tokenSeconds: 10 }, /token_seconds: /],
    ['session_idle_seconds', { sessionIdleSeconds: 1.5 }, /session_idle_seconds: /],
    ['user_verification', { userVerification: 'discouraged' }, /user_verification: /],
    ['application_name', { applicationName: '' }, /application_name: /],
    ['passkeys_enabled', { passkeysEnabled: 'yes' }, /passkeys_enabled: /],
  ])('refuses a bad %s with form_param_format_invalid (%j)', (param, patch, why) => {
    const err = refusal(patch);
    expect(err.code).toBe('form_param_format_invalid');
    expect(err.status).toBe(422);
    expect(err.meta.param_name).toBe(param);
    expect(err.message).toBe(`${param} is invalid.`);
    expect(err.longMessage).toMatch(why);
  });

  it('checks the RP ID against the domain only once both are well-formed (one mistake, one message)', () => {
    expect(settingsProblems(withPatch({ domain: 'com', rpId: 'example.org' }))).toEqual([
      { param: 'domain', problem: expect.stringMatching(/public suffix/) },
    ]);
  });

  it('lists every problem, in field order', () => {
    const problems = settingsProblems(withPatch({ domain: 'bad_domain', allowedOrigins: ['x'], relatedOrigins: ['https://ok.example', 'y'] }));
    expect(problems.map((p) => p.param)).toEqual(['domain', 'allowed_origins', 'related_origins']);
  });

  it('allows an idle lifetime above the absolute one (the idle limit simply never fires first)', () => {
    expect(validateSettings(withPatch({ sessionIdleSeconds: 7200, sessionMaxSeconds: 3600 })).sessionIdleSeconds).toBe(7200);
  });
});

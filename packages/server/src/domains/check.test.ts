import { describe, expect, it } from 'vitest';
import { defaultSettings, type InstanceSettings } from '../settings/schema.js';
import { checkOrigin } from './check.js';

const settings = (patch: Partial<InstanceSettings>): InstanceSettings => ({ ...defaultSettings, ...patch });

describe('checkOrigin', () => {
  const wide = settings({ domain: 'example.com' });
  const narrow = settings({ domain: 'staging1.example.com', rpId: 'staging1.example.com', allowSubdomains: false, allowedOrigins: ['https://shop.example.net'] });

  it('says passkeys work inside the RP ID on an allowed origin', () => {
    expect(checkOrigin(wide, 'production', 'https://app.example.com')).toMatchObject({ works: true, verdict: 'works', rp_id: 'example.com' });
    expect(checkOrigin(wide, 'production', 'https://example.com/')).toMatchObject({ works: true, origin: 'https://example.com' });
  });
  it('explains a sibling subdomain, another site, an insecure origin, a satellite and an unlisted origin', () => {
    expect(checkOrigin(narrow, 'production', 'https://staging2.example.com')).toMatchObject({ works: false, verdict: 'sibling_subdomain' });
    expect(checkOrigin(narrow, 'production', 'https://staging2.example.com').explanation).toContain('staging1.example.com');
    expect(checkOrigin(wide, 'production', 'https://example-admin.com')).toMatchObject({ works: false, verdict: 'other_site' });
    expect(checkOrigin(wide, 'production', 'http://app.example.com')).toMatchObject({ works: false, verdict: 'insecure_origin' });
    expect(checkOrigin(narrow, 'production', 'https://shop.example.net')).toMatchObject({ works: false, verdict: 'satellite_domain' });
    expect(checkOrigin(narrow, 'production', 'https://a.staging1.example.com')).toMatchObject({ works: false, verdict: 'not_listed' });
    expect(checkOrigin(wide, 'production', 'example.com')).toMatchObject({ works: false, verdict: 'not_an_origin' });
  });
  it('says a related origin works through /.well-known/webauthn, and localhost is secure in development', () => {
    expect(checkOrigin(settings({ domain: 'example.com', relatedOrigins: ['https://example.co.uk'] }), 'production', 'https://example.co.uk')).toMatchObject({ works: true, verdict: 'related_origin' });
    expect(checkOrigin(defaultSettings, 'development', 'http://localhost:3000')).toMatchObject({ works: true, verdict: 'works', rp_id: 'localhost' });
  });
});

import { isPublishableKey, parsePublishableKey } from '@clerk/shared/keys';
import { describe, expect, it } from 'vitest';
import { publishableKey } from './publishable-key.js';
import { clerkSdkKey } from './clerk-publishable-key.js';

// Clerk's own key parser (from its SDKs' shared package) is the judge here.
describe('clerkSdkKey', () => {
  it('gives Clerk a key it accepts where ours names a dotless host, with the proxy URL to use', () => {
    const config = { mode: 'development' as const, publicUrl: 'http://localhost:4000' };
    expect(isPublishableKey(publishableKey(config))).toBe(false);
    const { publishableKey: key, proxyUrl } = clerkSdkKey(config);
    expect(isPublishableKey(key)).toBe(true);
    expect(proxyUrl).toBe('http://localhost:4000/__clerk');
    expect(parsePublishableKey(key, { proxyUrl })).toEqual({ instanceType: 'development', frontendApi: proxyUrl });
  });

  it('reuses our key when the host has a dot, keeping the path and the instance type', () => {
    const config = { mode: 'production' as const, publicUrl: 'https://auth.example.com/latchkey/' };
    const { publishableKey: key, proxyUrl } = clerkSdkKey(config);
    expect(key).toBe(publishableKey(config));
    expect(isPublishableKey(key)).toBe(true);
    expect(proxyUrl).toBe('https://auth.example.com/latchkey/__clerk');
    expect(parsePublishableKey(key)?.instanceType).toBe('production');
  });
});

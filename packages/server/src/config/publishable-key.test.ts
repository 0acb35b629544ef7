import { describe, expect, it } from 'vitest';
import { frontendApiUrlFromHost, parsePublishableKey } from '../../../js/src/publishable-key.js';
import { publishableKey } from './publishable-key.js';

describe('publishableKey', () => {
  it('encodes the public URL so the browser SDK finds the server again', () => {
    const dev = publishableKey({ mode: 'development', publicUrl: 'http://localhost:4000' });
    expect(dev).toBe(`pk_test_${Buffer.from('localhost:4000$').toString('base64')}`);
    expect(frontendApiUrlFromHost(parsePublishableKey(dev).frontendApiHost)).toBe('http://localhost:4000');
    const prod = publishableKey({ mode: 'production', publicUrl: 'https://auth.example.com/' });
    expect(prod.startsWith('pk_live_')).toBe(true);
    expect(frontendApiUrlFromHost(parsePublishableKey(prod).frontendApiHost)).toBe('https://auth.example.com');
  });
});

import { describe, expect, it } from 'vitest';
import { decoyCredentials } from './decoys.js';

describe('decoy credentials', () => {
  it('are stable per identifier and differ between identifiers and instances', () => {
    const a = decoyCredentials('secret-1', 'nobody@example.com');
    expect(decoyCredentials('secret-1', 'nobody@example.com')).toEqual(a);
    expect(decoyCredentials('secret-1', 'someone@example.com')).not.toEqual(a);
    expect(decoyCredentials('secret-2', 'nobody@example.com')).not.toEqual(a);
  });
  it('look like real descriptors', () => {
    for (const who of ['a', 'b', 'c', 'd', 'e']) {
      const list = decoyCredentials('s', who);
      expect(list.length).toBeGreaterThanOrEqual(1);
      for (const d of list) {
        expect(d.type).toBe('public-key');
        expect([16, 20, 32]).toContain(Buffer.from(d.id, 'base64url').length);
      }
    }
  });
});

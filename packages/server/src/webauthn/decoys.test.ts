import { describe, expect, it } from 'vitest';
import { decoyCredentials, decoyStoredCredential } from './decoys.js';
import { parseCosePublicKey } from './public-keys.js';

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

describe('decoy transports and stand-in credentials', () => {
  it('lists transports sorted, as browsers report them', () => {
    for (const who of ['a', 'b', 'c']) {
      for (const d of decoyCredentials('s', who)) expect(d.transports).toEqual([...d.transports!].sort());
    }
  });
  it('stands a decoy in with a key no signature verifies against, and a stable user handle', () => {
    const a = decoyStoredCredential('s', 'nobody', 'abc');
    expect(a.credentialId).toBe('abc');
    expect(decoyStoredCredential('s', 'nobody', 'abc').userHandle).toBe(a.userHandle);
    expect(decoyStoredCredential('s', 'somebody', 'abc').userHandle).not.toBe(a.userHandle);
    expect(Buffer.from(a.userHandle, 'base64url')).toHaveLength(32);
    expect(parseCosePublicKey(a.publicKey).scheme).toBe('ecdsa');
  });
});

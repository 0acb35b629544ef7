import { describe, expect, it } from 'vitest';
import { decoyEmailFactor, maskEmail } from './email-factor.js';

describe('email factor masks and decoys', () => {
  it('masks an address down to its first character and domain', () => {
    expect(maskEmail('ada@example.com')).toBe('a***@example.com');
    expect(maskEmail('A@b.co')).toBe('A***@b.co');
    expect(maskEmail('not-an-address')).toBe('***');
  });

  it('derives a stable decoy per identifier and secret, shaped like a real factor', () => {
    const a = decoyEmailFactor('s1', 'nobody@example.com');
    expect(decoyEmailFactor('s1', ' NOBODY@example.com ')).toEqual({ ...a, safe: 'N***@example.com' });
    expect(a.safe).toBe('n***@example.com');
    expect(a.id).toMatch(/^idn_[0-9a-v]{10}[A-Za-z0-9_-]{12}$/);
    expect(decoyEmailFactor('s2', 'nobody@example.com').id).not.toBe(a.id);
    const byName = decoyEmailFactor('s1', 'nobody');
    expect(byName.safe).toMatch(/^[a-z]\*\*\*@(gmail\.com|outlook\.com|icloud\.com|yahoo\.com|proton\.me)$/);
    expect(byName).toEqual(decoyEmailFactor('s1', 'NoBody'));
  });
});

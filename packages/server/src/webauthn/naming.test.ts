import { describe, expect, it } from 'vitest';
import { cleanPasskeyName, defaultPasskeyName } from './naming.js';

describe('passkey names', () => {
  it('come from the AAGUID when it is known', () => {
    expect(defaultPasskeyName('fbfc3007-154e-4ecc-8c0b-6e020557d7bd', undefined)).toBe('Apple Passwords');
    expect(defaultPasskeyName('EA9B8D66-4D01-1D21-3CE4-B6B48CB575D4', undefined)).toBe('Google Password Manager');
  });
  it('fall back to the user agent for a zero or unknown AAGUID', () => {
    const firefoxMac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0';
    expect(defaultPasskeyName('00000000-0000-0000-0000-000000000000', firefoxMac)).toBe('Firefox on macOS');
    expect(defaultPasskeyName('12345678-1234-1234-1234-123456789abc', undefined)).toBe('Passkey');
  });
  it('are trimmed, 1–64 characters, without control characters', () => {
    expect(cleanPasskeyName('  Laptop  ')).toBe('Laptop');
    expect(cleanPasskeyName('   ')).toBeNull();
    expect(cleanPasskeyName('x'.repeat(65))).toBeNull();
    expect(cleanPasskeyName('x'.repeat(64))).toBe('x'.repeat(64));
    expect(cleanPasskeyName('bad\u0000name')).toBeNull();
    expect(cleanPasskeyName('bad\nname')).toBeNull();
    expect(cleanPasskeyName('rtl\u202Eoverride')).toBeNull();
    expect(cleanPasskeyName('Téléphone 📱')).toBe('Téléphone 📱');
  });
});

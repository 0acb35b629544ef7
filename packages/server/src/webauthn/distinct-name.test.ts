import { describe, expect, it } from 'vitest';
import { distinctPasskeyName } from './distinct-name.js';

describe('distinctPasskeyName', () => {
  it('keeps a name nobody uses', () => {
    expect(distinctPasskeyName('Chrome on Linux', [])).toBe('Chrome on Linux');
    expect(distinctPasskeyName('Chrome on Linux', ['iCloud Keychain'])).toBe('Chrome on Linux');
  });

  it('numbers a repeat from 2, taking the next free number, case-insensitively', () => {
    expect(distinctPasskeyName('Chrome on Linux', ['Chrome on Linux'])).toBe('Chrome on Linux 2');
    expect(distinctPasskeyName('Chrome on Linux', ['chrome on linux', 'Chrome on Linux 2'])).toBe('Chrome on Linux 3');
    // A renamed passkey frees its old name.
    expect(distinctPasskeyName('Chrome on Linux', ['Chrome on Linux 2'])).toBe('Chrome on Linux');
  });

  it('stays within 64 characters by shortening the base', () => {
    const long = 'x'.repeat(64);
    const name = distinctPasskeyName(long, [long]);
    expect(name).toBe(`${'x'.repeat(62)} 2`);
    expect(name.length).toBe(64);
  });
});

import { describe, expect, it } from 'vitest';
import { ALPHABET, matchRecoveryCode, newRecoveryCode, normalizeRecoveryCode, recoveryCodeMac } from './codes.js';

describe('recovery codes', () => {
  it('are xxxxx-xxxxx from an alphabet without look-alikes, and differ', () => {
    expect(ALPHABET).toHaveLength(30);
    for (const ch of '01ilou') expect(ALPHABET).not.toContain(ch);
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[2-9a-hjkmnp-tv-z]{5}-[2-9a-hjkmnp-tv-z]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('normalizes case, spaces and hyphens; refuses what cannot be a code', () => {
    expect(normalizeRecoveryCode(' ABCDE 23456 ')).toBe('abcde-23456');
    expect(normalizeRecoveryCode('abcde23456')).toBe('abcde-23456');
    expect(normalizeRecoveryCode('ab-cde-234-56')).toBe('abcde-23456');
    for (const bad of ['', 'abcde-2345', 'abcde-234567', 'abcd0-23456', 'abcdi-23456', 'abcde_23456', 'ábcde-23456']) expect(normalizeRecoveryCode(bad)).toBeNull();
  });

  it('match only the right code of the right user, with the right secret', () => {
    const code = newRecoveryCode();
    const stored = [
      { id: 'rc_a', mac: recoveryCodeMac('secret', 'user_1', newRecoveryCode()) },
      { id: 'rc_b', mac: recoveryCodeMac('secret', 'user_1', code) },
    ];
    expect(matchRecoveryCode('secret', 'user_1', code, stored)).toBe('rc_b');
    expect(matchRecoveryCode('secret', 'user_2', code, stored)).toBeNull();
    expect(matchRecoveryCode('other secret', 'user_1', code, stored)).toBeNull();
    expect(matchRecoveryCode('secret', 'user_1', newRecoveryCode(), stored)).toBeNull();
    expect(matchRecoveryCode('secret', 'user_1', code, [])).toBeNull();
    expect(stored[1]!.mac).not.toContain(code);
  });
});

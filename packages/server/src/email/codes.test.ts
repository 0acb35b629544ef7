import { describe, expect, it } from 'vitest';
import { codeMac, codeMatches, newCode } from './codes.js';
import { seal, unseal } from './seal.js';

describe('email codes', () => {
  it('are six digits, bound to their subject and secret', () => {
    for (let i = 0; i < 50; i++) expect(newCode()).toMatch(/^\d{6}$/);
    const mac = codeMac('s1', 'sua_1', '123456');
    expect(codeMatches('s1', 'sua_1', '123456', mac)).toBe(true);
    expect(codeMatches('s1', 'sua_1', '123457', mac)).toBe(false);
    expect(codeMatches('s1', 'sua_2', '123456', mac)).toBe(false);
    expect(codeMatches('s2', 'sua_1', '123456', mac)).toBe(false);
  });
});

describe('sealed payloads', () => {
  it('open only with their secret and unaltered', () => {
    const sealed = seal('k1', '{"code":"123456"}');
    expect(sealed).not.toContain('123456');
    expect(unseal('k1', sealed)).toBe('{"code":"123456"}');
    expect(() => unseal('k2', sealed)).toThrow();
    const [iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => unseal('k1', [iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });
});

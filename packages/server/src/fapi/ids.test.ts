import { describe, expect, it } from 'vitest';
import { newId } from '../util/ids.js';
import { isIdOf, requireIdOf } from './ids.js';

describe('isIdOf', () => {
  it('accepts every id newId mints, for its own prefix only', () => {
    for (let i = 0; i < 200; i++) {
      const id = newId('sia');
      expect(isIdOf('sia', id)).toBe(true);
      expect(isIdOf('sua', id)).toBe(false);
    }
    expect(isIdOf('sess', newId('sess'))).toBe(true);
    expect(isIdOf('pk', newId('pk'))).toBe(true);
  });

  const good = 'sia_AAAAAAAAAAAAAAAAAAAAAA';
  it.each([
    ['', 'empty'],
    ['sia_', 'prefix only'],
    ['\u0000', 'NUL'],
    [`${good.slice(0, -1)}\u0000`, 'NUL in the body'],
    [`${good.slice(0, -1)}\ud800`, 'lone surrogate'],
    [`${good}A`, 'one character too long'],
    [good.slice(0, -1), 'one character too short'],
    ['sia_AAAAAAAAAAAAAAAAAAAA+/', 'standard base64 characters'],
    ['sia_AAAAAAAAAAAAAAAAAAAAA=', 'padding'],
    ['SIA_AAAAAAAAAAAAAAAAAAAAAA', 'prefix in another case'],
    ['sua_AAAAAAAAAAAAAAAAAAAAAA', 'another prefix'],
    ["sia_AAAAAAAAAAAAAAAAAA' OR", 'SQL'],
    ['x'.repeat(100_000), 'huge'],
  ])('refuses %j (%s)', (value) => {
    expect(isIdOf('sia', value)).toBe(false);
    expect(() => requireIdOf('sia', value, () => new Error('404'))).toThrow('404');
  });

  it('refuses a missing value', () => {
    expect(isIdOf('sia', undefined)).toBe(false);
    expect(isIdOf('sia', null)).toBe(false);
  });
});

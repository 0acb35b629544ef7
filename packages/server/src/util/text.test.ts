import { describe, expect, it } from 'vitest';
import { isCleanText, textProblem } from './text.js';

describe('textProblem', () => {
  it.each([
    ['ada', null],
    ['Ada Lovelace', null],
    ['ada@example.com', null],
    ['Zoë 🔑 名前', null], // a surrogate pair (the emoji) is fine
    ['', null],
  ])('accepts %j', (value, expected) => {
    expect(textProblem(value)).toBe(expected);
  });

  it.each([
    ['ada\u0000', 'must not contain NUL characters'],
    ['\u0000', 'must not contain NUL characters'],
    ['ada\tlovelace', 'must not contain control characters'],
    ['ada\n', 'must not contain control characters'],
    ['ada\u001b[31m', 'must not contain control characters'],
    ['ada\u007f', 'must not contain control characters'],
    ['ada\u0085', 'must not contain control characters'],
    ['ada\ud800', 'must not contain unpaired UTF-16 surrogates'],
    ['\udc00ada', 'must not contain unpaired UTF-16 surrogates'],
    ['\udbff\ud800', 'must not contain unpaired UTF-16 surrogates'],
    ['🔑'.split('').reverse().join(''), 'must not contain unpaired UTF-16 surrogates'],
  ])('refuses %j', (value, expected) => {
    expect(textProblem(value)).toBe(expected);
    expect(isCleanText(value)).toBe(false);
  });
});

import { isoCBOR } from '@simplewebauthn/server/helpers';
import { describe, expect, it } from 'vitest';
import { CborMalformed, cborItemLength } from './cbor-length.js';

const enc = (v: unknown) => new Uint8Array(isoCBOR.encode(v as never));
const hex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

describe('cborItemLength', () => {
  it('measures encoder output exactly, whatever follows', () => {
    const values: unknown[] = [
      0, 23, 24, 255, 256, 65_536, 2 ** 32, -1, -500, 'text', '', new Uint8Array(300), [1, [2, [3]]], true, false, null, 1.5,
      new Map<unknown, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', new Uint8Array(164)]]),
    ];
    for (const v of values) {
      const bytes = enc(v);
      expect(cborItemLength(bytes)).toBe(bytes.length);
      expect(cborItemLength(new Uint8Array([...bytes, 0, 1, 2]))).toBe(bytes.length);
    }
  });

  it('follows RFC 8949 appendix A examples, indefinite lengths and tags included', () => {
    expect(cborItemLength(hex('1bffffffffffffffff'))).toBe(9);
    expect(cborItemLength(hex('5f42010243030405ff'))).toBe(9); // (_ h'0102', h'030405')
    expect(cborItemLength(hex('9f018202039f0405ffff'))).toBe(10); // [_ 1, [2, 3], [_ 4, 5]]
    expect(cborItemLength(hex('bf61610161629f0203ffff'))).toBe(11); // {_ "a": 1, "b": [_ 2, 3]}
    expect(cborItemLength(hex('c074323031332d30332d32315432303a30343a30305a'))).toBe(22); // tag 0
    expect(cborItemLength(hex('f97c00'))).toBe(3); // half-float
  });

  it.each([
    ['empty', ''],
    ['truncated byte string', '43 0102'],
    ['truncated length argument', '19 01'],
    ['array missing an item', '82 01'],
    ['map missing a value', 'a1 01'],
    ['huge declared length', '5b ffffffffffffffff 00'],
    ['reserved additional information', '1c'],
    ['unterminated indefinite array', '9f 01 02'],
    ['indefinite map with a dangling key', 'bf 01 ff'],
    ['indefinite integer', '1f'],
    ['lone break', 'ff'],
    ['text chunk in an indefinite byte string', '5f 61 61 ff'],
  ])('refuses %s', (_, h) => {
    expect(() => cborItemLength(hex(h))).toThrow(CborMalformed);
  });

  it('refuses nesting deeper than it will follow', () => {
    expect(() => cborItemLength(new Uint8Array(1000).fill(0x81))).toThrow(/nested/);
  });
});

import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { strictDerToP1363 } from './strict-der.js';

const der = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');

describe('strictDerToP1363', () => {
  it('accepts what node signs and converts it to the same r‖s node makes', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 200; i++) {
      const data = Buffer.from(`message ${i}`);
      const sig = sign('sha256', data, privateKey);
      const p1363 = strictDerToP1363(sig, 32);
      expect(p1363).not.toBeNull();
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, p1363!)).toBe(true);
    }
  });

  it('pads short values and drops a needed sign byte', () => {
    expect(strictDerToP1363(der('3006 020101 020102'), 2)).toEqual(der('0001 0002'));
    expect(strictDerToP1363(der('3008 02020080 020201ff'), 2)).toEqual(der('0080 01ff'));
  });

  it.each([
    ['a trailing byte', '3006 020101 020102 00'],
    ['SEQUENCE length one long', '3007 020101 020102'],
    ['long-form SEQUENCE length for a short body', '308106 020101 020102'],
    ['two-byte long-form SEQUENCE length', '30820006 020101 020102'],
    ['indefinite SEQUENCE length', '3080 020101 020102 0000'],
    ['long-form INTEGER length', '3007 02810101 020102'],
    ['an unneeded leading zero', '3007 02020001 020102'],
    ['a negative INTEGER', '3006 020181 020102'],
    ['an empty INTEGER', '3005 0200 020102'],
    ['a third INTEGER', '3009 020101 020102 020103'],
    ['only r', '3003 020101'],
    ['SET instead of SEQUENCE', '3106 020101 020102'],
    ['OCTET STRING instead of INTEGER', '3006 040101 020102'],
    ['r wider than the curve', '3007 0202 0101 020102'],
    ['empty', ''],
    ['a SEQUENCE tag alone', '30'],
  ])('refuses %s', (_, h) => {
    expect(strictDerToP1363(der(h), h.includes('0202 0101') ? 1 : 2)).toBeNull();
  });
});

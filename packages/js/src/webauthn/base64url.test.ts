import { describe, expect, it } from 'vitest';
import { base64urlToBytes, bytesToBase64url } from './base64url.js';

describe('base64url', () => {
  it('encodes without padding and with the URL-safe alphabet', () => {
    expect(bytesToBase64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
    expect(bytesToBase64url(new Uint8Array([1]))).toBe('AQ');
    expect(bytesToBase64url(new Uint8Array([]))).toBe('');
  });

  it('accepts ArrayBuffer and views into a larger buffer', () => {
    const buf = new Uint8Array([9, 1, 2, 3, 9]).buffer;
    expect(bytesToBase64url(buf)).toBe('CQECAwk');
    expect(bytesToBase64url(new Uint8Array(buf, 1, 3))).toBe('AQID');
    expect(bytesToBase64url(new DataView(buf, 1, 3))).toBe('AQID');
  });

  it('decodes padded and unpadded input', () => {
    expect([...base64urlToBytes('AQ')]).toEqual([1]);
    expect([...base64urlToBytes('AQ==')]).toEqual([1]);
    expect([...base64urlToBytes('-__-')]).toEqual([0xfb, 0xff, 0xfe]);
  });

  it('round-trips every byte value and long inputs', () => {
    // Longer than two 0x8000 chunks, so the chunk boundaries are crossed.
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const back = base64urlToBytes(bytesToBase64url(bytes));
    expect(back.length).toBe(bytes.length);
    expect(back.every((b, i) => b === bytes[i])).toBe(true);
  });

  it('refuses garbage', () => {
    expect(() => base64urlToBytes('a$b')).toThrow();
  });
});

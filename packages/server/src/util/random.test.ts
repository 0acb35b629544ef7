import { describe, expect, it } from 'vitest';
import { randomBase64url, randomHex } from './random.js';

describe('pooled randomness', () => {
  it('gives the requested length and never the same value twice, across pool refills', () => {
    const seen = new Set<string>();
    // 3000 × 32 bytes spans more than 20 refills of the 4 KiB pool.
    for (let i = 0; i < 3000; i++) {
      const v = randomBase64url(32);
      expect(Buffer.from(v, 'base64url')).toHaveLength(32);
      seen.add(v);
    }
    expect(seen.size).toBe(3000);
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('looks uniform: every byte value appears, none far more often than the rest', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 1024; i++) for (const b of Buffer.from(randomHex(64), 'hex')) counts[b]!++;
    // 65,536 bytes: 256 per value expected; a broken pool (zeros, repeats) fails this by far.
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(380);
  });

  it('refuses more than a pool at once', () => {
    expect(() => randomBase64url(4097)).toThrow(RangeError);
  });
});

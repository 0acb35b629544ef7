import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('is the prefix and 22 characters of [0-9A-Za-z_-], unique', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newId('sess')));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^sess_[0-9a-v]{10}[A-Za-z0-9_-]{12}$/);
  });

  it('sorts by creation time, as text, in byte order and in a locale collation', () => {
    const times = [0, 1, 31, 32, 1_000, 1_764_000_000_000, 1_764_000_000_001, 2_000_000_000_000];
    const ids = times.map((t) => newId('pk', t));
    const bytes = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(bytes.map((id) => id.slice(3, 13))).toEqual(ids.map((id) => id.slice(3, 13)));
    const locale = [...ids].sort((a, b) => a.slice(0, 13).localeCompare(b.slice(0, 13), 'en'));
    expect(locale.map((id) => id.slice(3, 13))).toEqual(ids.map((id) => id.slice(3, 13)));
  });
});

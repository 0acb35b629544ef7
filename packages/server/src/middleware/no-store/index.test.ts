import { describe, expect, it } from 'vitest';
import { errorOf, tinyApp } from '../../../test/support/tiny-app.js';
import { fail } from '../../errors/index.js';
import { noStore } from './index.js';

describe('noStore', () => {
  it('marks answers no-store, error answers included', async () => {
    const ok = await tinyApp(noStore()).request('/v1/client');
    expect([await ok.text(), ok.headers.get('cache-control')]).toEqual(['reached', 'no-store']);
    const failing = tinyApp(noStore(), async () => {
      throw fail('signed_out');
    });
    const res = await failing.request('/v1/me');
    expect((await errorOf(res)).code).toBe('signed_out');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

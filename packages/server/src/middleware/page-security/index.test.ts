import { describe, expect, it } from 'vitest';
import { tinyApp } from '../../../test/support/tiny-app.js';
import { pageSecurity } from './index.js';

describe('pageSecurity', () => {
  it('forbids framing and foreign scripts on whatever it answers', async () => {
    const res = await tinyApp(pageSecurity()).request('/any/page');
    expect(await res.text()).toBe('reached');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp.split('; ')).toEqual(expect.arrayContaining(["frame-ancestors 'none'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"]));
    // No inline or eval'd script, no wildcard source; inline styles only (the components insert theirs).
    const script = csp.split('; ').find((d) => d.startsWith('script-src'))!;
    expect(script).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).not.toMatch(/unsafe-eval|\*/);
    expect(csp.split('; ').filter((d) => d.includes('unsafe-inline'))).toEqual(["style-src 'self' 'unsafe-inline'"]);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

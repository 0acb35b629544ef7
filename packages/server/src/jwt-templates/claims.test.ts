import { describe, expect, it } from 'vitest';
import { claimsProblem, renderClaims } from './claims.js';

const values = {
  'user.id': 'user_1',
  'user.username': 'ada',
  'user.primary_email_address': null,
  'user.public_metadata': { role: 'admin' },
};

describe('renderClaims', () => {
  it('replaces a whole-string shortcode by its value, keeping its type', () => {
    expect(renderClaims({ uid: '{{user.id}}', meta: '{{ user.public_metadata }}', email: '{{user.primary_email_address}}' }, values)).toEqual({
      uid: 'user_1',
      meta: { role: 'admin' },
      email: null,
    });
  });

  it('interpolates shortcodes inside text, nested objects and arrays; leaves other values alone', () => {
    expect(
      renderClaims({ aud: 'convex', n: 3, ok: true, nested: { who: 'user:{{user.username}}', tags: ['{{user.id}}', 'x'] }, meta: 'm={{user.public_metadata}}' }, values),
    ).toEqual({ aud: 'convex', n: 3, ok: true, nested: { who: 'user:ada', tags: ['user_1', 'x'] }, meta: 'm={"role":"admin"}' });
  });
});

describe('claimsProblem', () => {
  it('accepts an object of custom claims with known shortcodes', () => {
    expect(claimsProblem({ aud: 'convex', email: '{{user.primary_email_address}}' })).toBeNull();
  });

  it('refuses non-objects, reserved claims, unknown shortcodes and oversized claims', () => {
    expect(claimsProblem(['a'])).toMatch(/JSON object/);
    expect(claimsProblem('x')).toMatch(/JSON object/);
    expect(claimsProblem({ sub: 'someone-else' })).toMatch(/sub are set by Latchkey/);
    expect(claimsProblem({ a: '{{user.password}}' })).toMatch(/Unknown shortcode \{\{user.password\}\}/);
    expect(claimsProblem({ big: 'x'.repeat(5000) })).toMatch(/at most 4096/);
  });
});

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { tokenAzp } from './index.js';

const app = new Hono<{ Variables: { azp?: string | null } }>();
app.use(tokenAzp({ isAllowedOrigin: (o) => o === 'https://app.example.com' || o === 'http://localhost:4000' }));
app.all('*', (c) => c.json({ azp: c.var.azp }));
const azpFor = async (headers: Record<string, string>) => ((await (await app.request('/v1/client', { headers })).json()) as { azp: string | null }).azp;

describe('tokenAzp', () => {
  it('takes an allowed Origin, else an allowed Referer origin', async () => {
    expect(await azpFor({ origin: 'https://app.example.com' })).toBe('https://app.example.com');
    expect(await azpFor({ referer: 'http://localhost:4000/account?tab=1' })).toBe('http://localhost:4000');
  });
  it.each([
    [{ origin: 'https://evil.example' }],
    [{ origin: 'null' }],
    [{ origin: 'https://evil.example', referer: 'https://app.example.com/' }], // Origin wins, and is refused
    [{ referer: 'https://evil.example/page' }],
    [{ referer: 'not a url' }],
    [{}],
  ])('leaves azp empty for %j', async (headers) => {
    expect(await azpFor(headers)).toBeNull();
  });
});

/**
 * The Node adapter on a real socket: the body read from the IncomingMessage under the limit (also
 * when chunked), the peer address, and the fallback to Fetch when the app is driven without Node.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { LatchkeyError, toErrorBody } from '../../errors/index.js';
import { runtimeOf } from '../../http/runtime.js';
import { type Listening, listen, nodeRuntime } from './index.js';

const LIMIT = 1024;

function echoApp(): Hono {
  const app = new Hono();
  app.onError((err, c) => c.json(toErrorBody(err as LatchkeyError, 't'), (err as LatchkeyError).status as 413));
  app.use(async function setRuntime(c, next) {
    c.set('runtime', nodeRuntime);
    await next();
  });
  app.post('/', async (c) => {
    const body = await runtimeOf(c).readBody(c, LIMIT);
    const viaIncoming = Boolean((c.env as { incoming?: unknown } | undefined)?.incoming);
    return c.json({ body, viaIncoming, peer: runtimeOf(c).clientAddress(c) });
  });
  return app;
}

/** POSTs `chunks` with chunked transfer encoding (no Content-Length), as a streaming client does. */
function postChunked(port: number, chunks: string[]): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('nodeRuntime', () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen(echoApp(), { host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  it('reads the body straight from the IncomingMessage and reports the peer address', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/`, { method: 'POST', body: 'héllo' });
    expect(await res.json()).toEqual({ body: 'héllo', viaIncoming: true, peer: '127.0.0.1' });
  });

  it('joins a chunked body of several pieces, up to the limit', async () => {
    const res = await postChunked(server.port, ['a'.repeat(600), 'b'.repeat(LIMIT - 600)]);
    expect(res.status).toBe(200);
    expect(res.body.body).toBe('a'.repeat(600) + 'b'.repeat(LIMIT - 600));
  });

  it('refuses a chunked body past the limit with 413 request_body_too_large', async () => {
    const res = await postChunked(server.port, ['a'.repeat(600), 'b'.repeat(LIMIT - 599)]);
    expect(res.status).toBe(413);
    expect(res.body.errors[0].code).toBe('request_body_too_large');
  });

  it('falls back to Fetch when the app is driven without Node (app.request)', async () => {
    const res = await echoApp().request('/', { method: 'POST', body: 'plain' });
    expect(await res.json()).toEqual({ body: 'plain', viaIncoming: false, peer: 'unknown' });
  });
});

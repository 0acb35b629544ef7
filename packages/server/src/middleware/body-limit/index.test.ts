import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { errorOf, tinyApp } from '../../../test/support/tiny-app.js';
import { LatchkeyError, toErrorBody } from '../../errors/index.js';
import { runtimeOf } from '../../http/runtime.js';
import { bodyLimit, MAX_BODY_BYTES } from './index.js';

const post = (app: Hono, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  app.request('/', { method: 'POST', body, headers, ...(body instanceof ReadableStream && { duplex: 'half' }) } as RequestInit);

/** A body with no declared length, as a chunked upload sends it. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      const n = Math.min(left, 16 * 1024);
      if (n === 0) return controller.close();
      left -= n;
      controller.enqueue(new Uint8Array(n).fill(97));
    },
  });
}

describe('bodyLimit', () => {
  it('is 64 KiB by default', () => expect(MAX_BODY_BYTES).toBe(65536));

  it('lets a body of exactly the limit through', async () => {
    const res = await post(tinyApp(bodyLimit(10)), '0123456789');
    expect(res.status).toBe(200);
  });

  it('refuses a declared length over the limit with 413 request_body_too_large, before anything reads it', async () => {
    const res = await post(tinyApp(bodyLimit(10)), '0123456789', { 'content-length': '11' });
    expect(res.status).toBe(413);
    const err = await errorOf(res);
    expect(err.code).toBe('request_body_too_large');
    expect(err.long_message).toBe('Request bodies are limited to 10 bytes.');
  });

  it('leaves an undeclared (chunked) body to the reader, which counts it against the same limit', async () => {
    const app = new Hono();
    app.onError((err, c) => c.json(toErrorBody(err as LatchkeyError, 't'), (err as LatchkeyError).status as 413));
    app.use(bodyLimit());
    app.post('/', async (c) => c.text(String((await runtimeOf(c).readBody(c, MAX_BODY_BYTES)).length)));
    const ok = await post(app, chunked(MAX_BODY_BYTES));
    expect(await ok.text()).toBe(String(MAX_BODY_BYTES));
    const tooBig = await post(app, chunked(MAX_BODY_BYTES + 1));
    expect(tooBig.status).toBe(413);
    expect((await errorOf(tooBig)).code).toBe('request_body_too_large');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %s at set-up', (n) => {
    expect(() => bodyLimit(n)).toThrow(/maxBytes must be a positive integer/);
  });
});

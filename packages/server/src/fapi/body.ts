/**
 * Request bodies, read with a size limit. Under Node the body is read straight from the
 * `IncomingMessage`: going through the Fetch `Request` that Hono's Node adapter would build for it
 * (a web stream, an AbortController and header copies) cost more than everything the sign-in
 * endpoint does with the body. Elsewhere (`app.request` in tests) the Fetch body is used.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { fail, type LatchkeyError } from '../errors/index.js';

export const MAX_BODY_BYTES = 64 * 1024;

function tooLarge(): LatchkeyError {
  return fail('request_body_too_large', { why: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.` });
}

/** Refuses a body whose declared length is over the limit before anything reads it. */
export function declaredBodyLimit(): MiddlewareHandler {
  return async function declaredBodyLimit(c, next) {
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
    await next();
  };
}

/** The body as UTF-8 text; 413 `request_body_too_large` past the limit, however it is sent. */
export async function readBodyText(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
    return text;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Chunked bodies declare no length: count as they arrive and stop reading at the limit.
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

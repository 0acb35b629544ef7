/**
 * The request body read straight from Node's `IncomingMessage`. Going through the Fetch `Request`
 * that @hono/node-server would build for it (a web stream, an AbortController and header copies)
 * cost more than everything the sign-in endpoint does with the body.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { bodyTooLarge, fetchRuntime } from '../../http/runtime.js';

export async function readIncomingBody(c: Context, limit: number): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  // Not served by @hono/node-server (app.request on a Node-adapted app): Fetch has the body.
  if (!incoming) return fetchRuntime.readBody(c, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Chunked bodies declare no length: count as they arrive and stop reading at the limit.
    if (size > limit) throw bodyTooLarge(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

/**
 * Request parameters: form-encoded (what the SDK sends; a CORS "simple request") or JSON. Keys
 * are snake_case. Unknown keys are ignored, never refused — SDKs add their own (`_clerk_js_version`,
 * `locale`, …). Each endpoint declares its parameters as a zod schema; failures name the parameter.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { fail, LatchkeyError } from '../errors/index.js';
import { textProblem } from '../util/text.js';
import { readBodyText } from './body.js';

export async function readParams(c: Context): Promise<Record<string, unknown>> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return {};
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let body: unknown;
    try {
      const text = await readBodyText(c);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      if (err instanceof LatchkeyError) throw err;
      throw fail('request_body_invalid', { why: 'The request body is not valid JSON.' });
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw fail('request_body_invalid', { why: 'The JSON body must be an object.' });
    }
    return body as Record<string, unknown>;
  }
  if (type === 'application/x-www-form-urlencoded') {
    // Parsed from the text: `parseBody()` would build a full Fetch Request to call formData().
    return Object.fromEntries(new URLSearchParams(await readBodyText(c)));
  }
  if (type === 'multipart/form-data') {
    // Rare (no SDK sends it): read under the size limit, then parsed by the Fetch API.
    const text = await readBodyText(c);
    let form: FormData;
    try {
      form = await new Response(text, { headers: { 'content-type': c.req.header('content-type')! } }).formData();
    } catch {
      throw fail('request_body_invalid', { why: 'The multipart body could not be parsed.' });
    }
    const fields: Record<string, string> = {};
    form.forEach((value, key) => {
      if (typeof value === 'string') fields[key] = value;
    });
    return fields;
  }
  if (type === '') {
    const text = await readBodyText(c);
    if (text.length === 0) return {};
  }
  throw fail('unsupported_media_type');
}

export function parseParams<T extends z.ZodObject>(schema: T, raw: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = String(issue.path[0] ?? 'body');
  if (raw[param] === undefined || raw[param] === '') throw fail('form_param_missing', { param });
  throw fail('form_param_format_invalid', { param, why: `${param}: ${issue.message}` });
}

/**
 * A bounded string parameter (form values are always strings) holding text: no NUL, control
 * characters or unpaired surrogates (util/text.ts says why), refused as `form_param_format_invalid`.
 */
export const str = (max = 256) =>
  z
    .string()
    .max(max)
    .superRefine((v, ctx) => {
      const problem = textProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
/** The credential: a JSON string in form bodies; a string or an object in JSON bodies. */
export const credentialParam = z.union([z.string().min(1).max(60_000), z.record(z.string(), z.unknown())]);

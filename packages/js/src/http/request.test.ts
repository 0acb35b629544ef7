import { describe, expect, it } from 'vitest';
import { LatchkeyAPIResponseError, LatchkeyRuntimeError } from '../errors.js';
import { buildRequest, encodeForm, readResponse, send, toSnakeCase, unwrap } from './request.js';

describe('encodeForm', () => {
  it('snake-cases keys, stringifies objects as JSON and skips null/undefined', () => {
    const form = encodeForm({ emailAddress: 'a@b.c', publicKeyCredential: { id: 'x' }, username: undefined, name: null, strategy: 'passkey' });
    expect(form.toString()).toBe('email_address=a%40b.c&public_key_credential=%7B%22id%22%3A%22x%22%7D&strategy=passkey');
  });

  it('leaves snake_case keys alone', () => {
    expect(toSnakeCase('public_key_credential')).toBe('public_key_credential');
    expect(toSnakeCase('createdSessionId')).toBe('created_session_id');
  });
});

describe('buildRequest', () => {
  const base = 'http://localhost:4000';

  it('sends GET with credentials and no body', () => {
    const { url, init } = buildRequest(base, { path: '/v1/client' });
    expect(url).toBe('http://localhost:4000/v1/client');
    expect(init).toMatchObject({ method: 'GET', credentials: 'include' });
    expect(init.body).toBeUndefined();
  });

  it('sends POST as a form (a CORS simple request)', () => {
    const { init } = buildRequest(base, { path: '/v1/client/sign_ins', method: 'POST', body: { strategy: 'passkey' } });
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(init.body).toBe('strategy=passkey');
  });

  it('tunnels PATCH and DELETE through POST ?_method=', () => {
    const patch = buildRequest(base, { path: '/v1/me/passkeys/pk_1', method: 'PATCH', body: { name: 'Laptop' }, sessionId: 'sess_1' });
    expect(patch.init.method).toBe('POST');
    expect(new URL(patch.url).searchParams.get('_method')).toBe('PATCH');
    expect(patch.init.body).toBe('name=Laptop');
    const del = buildRequest(base, { path: '/v1/client/sessions', method: 'DELETE' });
    expect(del.url).toBe('http://localhost:4000/v1/client/sessions?_method=DELETE');
  });

  it('adds _clerk_session_id to /v1/me calls only', () => {
    expect(buildRequest(base, { path: '/v1/me/passkeys', method: 'POST', sessionId: 'sess_1' }).url).toBe(
      'http://localhost:4000/v1/me/passkeys?_clerk_session_id=sess_1',
    );
    expect(buildRequest(base, { path: '/v1/me', sessionId: 'sess_1' }).url).toBe('http://localhost:4000/v1/me?_clerk_session_id=sess_1');
    expect(buildRequest(base, { path: '/v1/client', sessionId: 'sess_1' }).url).toBe('http://localhost:4000/v1/client');
    expect(buildRequest(base, { path: '/v1/meta', sessionId: 'sess_1' }).url).toBe('http://localhost:4000/v1/meta');
  });

  it('keeps a path prefix of the base URL (the /__clerk proxy mount)', () => {
    expect(buildRequest('https://app.example.com/__clerk/', { path: '/v1/environment' }).url).toBe('https://app.example.com/__clerk/v1/environment');
  });
});

describe('readResponse and unwrap', () => {
  it('returns JSON on success and splits the envelope', async () => {
    const body = await readResponse(new Response(JSON.stringify({ response: { id: 'x' }, client: { id: 'c' } }), { status: 200 }));
    expect(unwrap(body)).toEqual({ response: { id: 'x' }, hasClient: true, client: { id: 'c' } });
  });

  it('passes bare answers through (environment, tokens)', () => {
    expect(unwrap({ object: 'token', jwt: 'a.b.c' })).toEqual({ response: { object: 'token', jwt: 'a.b.c' }, hasClient: false, client: null });
  });

  it('throws the API error for non-2xx answers', async () => {
    const res = new Response(JSON.stringify({ errors: [{ code: 'signed_out', message: 'Signed out' }] }), { status: 401 });
    await expect(readResponse(res)).rejects.toMatchObject({ status: 401, errors: [{ code: 'signed_out' }] });
    await expect(readResponse(new Response('<html>', { status: 500 }))).rejects.toBeInstanceOf(LatchkeyAPIResponseError);
  });

  it('turns a network failure into a runtime error', async () => {
    const failing = async (): Promise<Response> => {
      throw new TypeError('Failed to fetch');
    };
    const err: unknown = await send(failing, 'http://localhost:4000', { path: '/v1/client' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LatchkeyRuntimeError);
    expect((err as LatchkeyRuntimeError).code).toBe('network_error');
  });
});

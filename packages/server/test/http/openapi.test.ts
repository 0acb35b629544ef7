/**
 * The OpenAPI document: valid OpenAPI 3.1 (checked by @apidevtools/swagger-parser), and in step
 * with the routes the app really registers — a route added without its entry fails here.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { backendApi } from '../../src/bapi/app.js';
import { expectOk } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

type Doc = { paths: Record<string, Record<string, unknown>> };

/** `METHOD /v1/path/{param}` for every handler (not middleware) registered under /v1. */
function registered(routes: { method: string; path: string }[]): string[] {
  return [
    ...new Set(
      routes
        .filter((r) => r.method !== 'ALL' && r.path.startsWith('/v1/') && !r.path.endsWith('*'))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`),
    ),
  ].sort();
}

function documented(doc: Doc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

// Loading the validator's schemas takes seconds on a busy machine: a generous timeout.
describe('the OpenAPI document', { timeout: 120_000 }, () => {
  it('is valid OpenAPI 3.1', async () => {
    const server = await createTestServer();
    const doc = expectOk(await server.browser().get('/v1/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(doc));
    // Not vacuous: the validator rejects a broken document.
    const broken = structuredClone(doc);
    broken.paths['/v1/users'].get.responses = 'none';
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });

  it('lists exactly the routes of both APIs', async () => {
    const server = await createTestServer();
    const doc = expectOk(await server.browser().get('/v1/openapi.json')) as Doc;
    const routes = registered([...server.app.routes, ...backendApi(server.deps, new Set()).routes]);
    expect(routes.length).toBeGreaterThan(30);
    expect(documented(doc)).toEqual(routes);

    // And the comparison notices a route the document lacks.
    const withExtra = registered([...server.app.routes, ...backendApi(server.deps, new Set()).routes, { method: 'GET', path: '/v1/undocumented' }]);
    expect(documented(doc)).not.toEqual(withExtra);
  });

  it('describes request bodies and parameters from the route schemas', async () => {
    const server = await createTestServer();
    const doc = expectOk(await server.browser().get('/v1/openapi.json'));
    const createUser = doc.paths['/v1/users'].post;
    expect(createUser.security).toEqual([{ secretKey: [] }]);
    expect(Object.keys(createUser.requestBody.content['application/json'].schema.properties)).toEqual(['username', 'email_address', 'public_metadata', 'private_metadata']);
    expect(doc.paths['/v1/users'].get.parameters.map((p: any) => p.name)).toEqual(['limit', 'starting_after', 'query']);
    expect(doc.paths['/v1/users/{user_id}/passkeys/{passkey_id}'].delete.parameters.map((p: any) => [p.name, p.in])).toEqual([
      ['user_id', 'path'],
      ['passkey_id', 'path'],
    ]);
    const attempt = doc.paths['/v1/client/sign_ins/{id}/attempt_first_factor'].post;
    expect(attempt.requestBody.content['application/x-www-form-urlencoded'].schema.required).toEqual(['strategy', 'public_key_credential']);
  });
});

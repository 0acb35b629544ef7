/**
 * The OpenAPI 3.1 document at `/v1/openapi.json`, generated from the route schemas of both APIs
 * with zod's own JSON Schema output (`z.toJSONSchema`, draft 2020-12 — the dialect OpenAPI 3.1
 * uses). zod's output rather than @hono/zod-openapi: the routes already are plain Hono handlers
 * with zod schemas, and the converter needs no new dependency nor a rewrite of every route.
 */
import { z } from 'zod';
import { backendRoutes } from '../bapi/app.js';
import { CATALOGUE } from '../errors/catalogue.js';
import { frontendOperations } from '../fapi/operations.js';

type Json = Record<string, unknown>;

const toOpenApiPath = (p: string) => `/v1${p.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
const pathParams = (p: string) => [...p.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const errorResponse = { description: 'An error: the code is in errors[0].code', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

function parameters(path: string, query?: z.ZodObject, params?: z.ZodObject): Json[] {
  const out: Json[] = [];
  const paramProps = params ? ((schemaOf(params, 'input').properties ?? {}) as Record<string, Json>) : {};
  for (const name of pathParams(path)) out.push({ name, in: 'path', required: true, schema: paramProps[name] ?? { type: 'string' } });
  if (query) {
    const js = schemaOf(query, 'input');
    const required = new Set((js.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((js.properties ?? {}) as Record<string, Json>)) {
      out.push({ name, in: 'query', required: required.has(name) && !('default' in schema), schema });
    }
  }
  return out;
}

export function openApiDocument(serverUrl: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const add = (path: string, method: string, op: Json) => {
    (paths[toOpenApiPath(path)] ??= {})[method] = op;
  };

  for (const r of backendRoutes) {
    const op: Json = {
      tags: [`Backend API: ${r.tag}`],
      summary: r.summary,
      operationId: `backend_${r.method}_${r.path.replace(/[/:]+/g, '_').replace(/^_|_$/g, '')}`,
      security: [{ secretKey: [] }],
      parameters: parameters(r.path, r.query, r.params),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: schemaOf(r.response, 'output') } } },
        '401': errorResponse,
        '404': errorResponse,
        '422': errorResponse,
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } };
    add(r.path, r.method, op);
  }

  for (const f of frontendOperations) {
    const op: Json = {
      tags: ['Frontend API'],
      summary: f.summary,
      operationId: `frontend_${f.method}_${f.path.replace(/[/:]+/g, '_').replace(/^_|_$/g, '')}`,
      security: [{ clientCookie: [] }, {}],
      parameters: parameters(f.path),
      responses: {
        '200': { description: '`{ response, client }` (the token endpoint: `{ object: "token", jwt }`)', content: { 'application/json': { schema: { $ref: '#/components/schemas/FrontendEnvelope' } } } },
        '4XX': errorResponse,
      },
    };
    if (f.body) {
      const schema = schemaOf(f.body, 'input');
      op.requestBody = { content: { 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema } } };
    }
    add(f.path, f.method, op);
  }

  add('/openapi.json', 'get', { tags: ['Documents'], summary: 'This document', operationId: 'openapi', responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } });

  return {
    openapi: '3.1.0',
    info: {
      title: 'Latchkey',
      version: '1',
      description:
        'Frontend API (browsers, `__client` cookie; also under /__clerk/v1) and backend API (app servers, `Authorization: Bearer sk_…`), both under /v1. Errors: `{ errors: [{ code, message, long_message, meta }], clerk_trace_id }`.',
    },
    servers: [{ url: serverUrl }],
    tags: [{ name: 'Frontend API' }, { name: 'Backend API: Users' }, { name: 'Backend API: Sessions' }, { name: 'Backend API: Instance' }, { name: 'Backend API: Audit log' }, { name: 'Documents' }],
    paths,
    components: {
      securitySchemes: {
        secretKey: { type: 'http', scheme: 'bearer', description: 'A secret key, sk_test_… or sk_live_… (`latchkey keys create`)' },
        clientCookie: { type: 'apiKey', in: 'cookie', name: '__client' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['errors', 'clerk_trace_id'],
          properties: {
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['code', 'message', 'long_message', 'meta'],
                properties: {
                  code: { type: 'string', enum: Object.keys(CATALOGUE) },
                  message: { type: 'string' },
                  long_message: { type: 'string' },
                  meta: { type: 'object', properties: { param_name: { type: 'string' }, retry_after: { type: 'integer' } } },
                },
              },
            },
            clerk_trace_id: { type: 'string' },
          },
        },
        FrontendEnvelope: { type: 'object', properties: { response: {}, client: {} } },
      },
    },
  };
}

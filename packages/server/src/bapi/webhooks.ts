/**
 * Backend API routes for webhook endpoints, as data: method, path, zod schemas and a handler that
 * gets the parsed input — the route-table shape the backend API registers and documents (OpenAPI)
 * — plus `registerWebhookRoutes`, which mounts them on any Hono app:
 *
 *   registerWebhookRoutes(bapi);   // bapi: the Hono app served under /v1 for secret-key callers
 *
 * The app must set `deps` on the context, authenticate the caller first, and turn thrown
 * `LatchkeyError`s into the error envelope (its `onError`). Handlers are thin: parse, call
 * `webhooks/endpoints.ts`, present.
 */
import type { AuditContext } from '../audit/index.js';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { parseParams, readParams, str } from '../fapi/params.js';
import { checkPathIds, cursorParam } from './ids.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../store/schema.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  MAX_PAGE,
  sendTestEvent,
} from '../webhooks/endpoints.js';
import { EVENT_TYPES, TEST_EVENT_TYPE } from '../webhooks/events.js';

export type WebhookRoutesEnv = { Variables: { deps: Deps; audit?: AuditContext } };

const ms = z.number().int().describe('Unix milliseconds');
const endpointParams = z.object({ endpoint_id: z.string() }); // its form is checked first (bapi/ids.ts)
const createBody = z.object({
  url: str(2048).min(1).describe('Where events are POSTed; https outside development'),
  event_types: z.array(str(64)).max(32).optional().describe(`Any of ${EVENT_TYPES.join(', ')}; empty or absent: all`),
  description: str(256).optional(),
});
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
  starting_after: cursorParam('whd').optional().describe('The id of the last delivery of the previous page'),
});

const endpointResponse = z.object({
  object: z.literal('webhook_endpoint'),
  id: z.string(),
  url: z.string(),
  description: z.string(),
  event_types: z.array(z.string()),
  secret: z.string().optional().describe('whsec_…; only in the answer to create'),
  created_at: ms,
  updated_at: ms,
});
const deliveryResponse = z.object({
  object: z.literal('webhook_delivery'),
  id: z.string(),
  endpoint_id: z.string(),
  message_id: z.string().describe('The webhook-id header; the same on every attempt'),
  event_type: z.string(),
  attempt: z.number().int(),
  status: z.enum(['succeeded', 'failed']),
  response_status: z.number().int().nullable(),
  error: z.string().nullable(),
  created_at: ms,
});
const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), has_more: z.boolean(), total_count: z.number().int() });

export function endpointJson(e: WebhookEndpointRow, o: { secret?: boolean } = {}) {
  return {
    object: 'webhook_endpoint' as const,
    id: e.id,
    url: e.url,
    description: e.description,
    event_types: JSON.parse(e.event_types) as string[],
    ...(o.secret ? { secret: e.secret } : {}),
    created_at: e.created_at,
    updated_at: e.updated_at,
  };
}

export function deliveryJson(d: WebhookDeliveryRow) {
  return {
    object: 'webhook_delivery' as const,
    id: d.id,
    endpoint_id: d.endpoint_id,
    message_id: d.message_id,
    event_type: d.event_type,
    attempt: d.attempt,
    status: d.status,
    response_status: d.response_status,
    error: d.error,
    created_at: d.created_at,
  };
}

type Input = { params: any; query: any; body: any };

/** One route: the same fields as the backend API's route table (`bapi/route.ts` there). */
export interface WebhookRoute {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodObject;
  response: z.ZodType;
  handler: (c: Context<WebhookRoutesEnv>, input: Input) => Promise<unknown>;
}

const tag = 'Webhooks';

export const webhookRoutes: WebhookRoute[] = [
  {
    method: 'post',
    path: '/webhook_endpoints',
    tag,
    summary: 'Create a webhook endpoint; the answer carries its signing secret',
    body: createBody,
    response: endpointResponse,
    handler: async (c, { body }) => endpointJson(await createWebhookEndpoint(c.var.deps, body, c.var.audit), { secret: true }),
  },
  {
    method: 'get',
    path: '/webhook_endpoints',
    tag,
    summary: 'List webhook endpoints (without secrets)',
    response: page(endpointResponse),
    handler: async (c) => {
      const rows = await listWebhookEndpoints(c.var.deps);
      return { data: rows.map((e) => endpointJson(e)), has_more: false, total_count: rows.length };
    },
  },
  {
    method: 'get',
    path: '/webhook_endpoints/:endpoint_id',
    tag,
    summary: 'Get a webhook endpoint',
    params: endpointParams,
    response: endpointResponse,
    handler: async (c, { params }) => endpointJson(await getWebhookEndpoint(c.var.deps, params.endpoint_id)),
  },
  {
    method: 'get',
    path: '/webhook_endpoints/:endpoint_id/secret',
    tag,
    summary: "Get a webhook endpoint's signing secret",
    params: endpointParams,
    response: z.object({ object: z.literal('webhook_endpoint_secret'), id: z.string(), secret: z.string() }),
    handler: async (c, { params }) => {
      const row = await getWebhookEndpoint(c.var.deps, params.endpoint_id);
      return { object: 'webhook_endpoint_secret', id: row.id, secret: row.secret };
    },
  },
  {
    method: 'delete',
    path: '/webhook_endpoints/:endpoint_id',
    tag,
    summary: 'Delete a webhook endpoint and its delivery log',
    params: endpointParams,
    response: z.object({ object: z.string(), id: z.string(), deleted: z.literal(true) }),
    handler: async (c, { params }) => {
      await deleteWebhookEndpoint(c.var.deps, params.endpoint_id, c.var.audit);
      return { object: 'webhook_endpoint', id: params.endpoint_id, deleted: true };
    },
  },
  {
    method: 'get',
    path: '/webhook_endpoints/:endpoint_id/deliveries',
    tag,
    summary: "A webhook endpoint's delivery log, newest first (one entry per attempt)",
    params: endpointParams,
    query: pageQuery,
    response: page(deliveryResponse),
    handler: async (c, { params, query }) => {
      const result = await listWebhookDeliveries(c.var.deps, params.endpoint_id, query);
      return { ...result, data: result.data.map(deliveryJson) };
    },
  },
  {
    method: 'post',
    path: '/webhook_endpoints/:endpoint_id/test',
    tag,
    summary: `Send a ${TEST_EVENT_TYPE} event to this endpoint`,
    params: endpointParams,
    response: z.object({ object: z.literal('webhook_message'), id: z.string(), event_type: z.literal(TEST_EVENT_TYPE) }),
    handler: async (c, { params }) => ({ object: 'webhook_message', id: await sendTestEvent(c.var.deps, params.endpoint_id), event_type: TEST_EVENT_TYPE }),
  },
];

/** Mounts `webhookRoutes` on `app` (parsing path, query and body by their schemas). */
export function registerWebhookRoutes<E extends WebhookRoutesEnv>(app: Hono<E>): void {
  const r = app as unknown as Hono<WebhookRoutesEnv>;
  for (const route of webhookRoutes) {
    r.on(route.method.toUpperCase(), route.path, async (c) => {
      checkPathIds(c.req.param());
      const input: Input = {
        params: route.params ? parseParams(route.params, c.req.param() as Record<string, unknown>) : {},
        query: route.query ? parseParams(route.query, c.req.query()) : {},
        body: route.body ? parseParams(route.body, await readParams(c)) : {},
      };
      return c.json((await route.handler(c, input)) as object);
    });
  }
}

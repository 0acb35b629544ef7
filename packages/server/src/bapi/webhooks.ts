/**
 * Backend API routes for webhook endpoints. Thin: parse, call `webhooks/endpoints.ts`, present.
 * Mounted by the backend API behind its secret-key middleware:
 *
 *   registerWebhookRoutes(bapi);   // bapi: the Hono app served under /v1 for secret-key callers
 *
 * The app must set `deps` on the context (as every Latchkey app does) and turn thrown
 * `LatchkeyError`s into the error envelope (its `onError`).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { parseParams, readParams } from '../fapi/params.js';
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

export type WebhookRoutesEnv = { Variables: { deps: Deps } };

const createBody = z.object({
  url: z.string().min(1).max(2048),
  event_types: z.array(z.string().max(64)).max(32).optional(),
  description: z.string().max(256).optional(),
});
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
  starting_after: z.string().min(1).max(64).optional(),
});

export function endpointJson(e: WebhookEndpointRow, o: { secret?: boolean } = {}) {
  return {
    object: 'webhook_endpoint',
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
    object: 'webhook_delivery',
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

export function registerWebhookRoutes<E extends WebhookRoutesEnv>(app: Hono<E>): void {
  const r = app as unknown as Hono<WebhookRoutesEnv>;

  r.post('/webhook_endpoints', async (c) => {
    const params = parseParams(createBody, await readParams(c));
    const row = await createWebhookEndpoint(c.var.deps, {
      url: params.url,
      ...(params.event_types ? { event_types: params.event_types } : {}),
      ...(params.description !== undefined ? { description: params.description } : {}),
    });
    // The signing secret is shown here, and on `GET …/secret`; never in lists.
    return c.json(endpointJson(row, { secret: true }), 200);
  });

  r.get('/webhook_endpoints', async (c) => {
    const rows = await listWebhookEndpoints(c.var.deps);
    return c.json({ data: rows.map((e) => endpointJson(e)), has_more: false, total_count: rows.length });
  });

  r.get('/webhook_endpoints/:id', async (c) => c.json(endpointJson(await getWebhookEndpoint(c.var.deps, c.req.param('id')))));

  r.get('/webhook_endpoints/:id/secret', async (c) => {
    const row = await getWebhookEndpoint(c.var.deps, c.req.param('id'));
    return c.json({ object: 'webhook_endpoint_secret', id: row.id, secret: row.secret });
  });

  r.delete('/webhook_endpoints/:id', async (c) => {
    const id = c.req.param('id');
    await deleteWebhookEndpoint(c.var.deps, id);
    return c.json({ object: 'webhook_endpoint', id, deleted: true });
  });

  r.get('/webhook_endpoints/:id/deliveries', async (c) => {
    const q = parseParams(pageQuery, c.req.query());
    const page = await listWebhookDeliveries(c.var.deps, c.req.param('id'), {
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      ...(q.starting_after !== undefined ? { starting_after: q.starting_after } : {}),
    });
    return c.json({ ...page, data: page.data.map(deliveryJson) });
  });

  r.post('/webhook_endpoints/:id/test', async (c) => {
    const messageId = await sendTestEvent(c.var.deps, c.req.param('id'));
    return c.json({ object: 'webhook_message', id: messageId, event_type: 'webhook.test' });
  });
}

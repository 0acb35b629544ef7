/**
 * Managing webhook endpoints (the backend API's `webhook_endpoints` routes call these): create one
 * with a URL, the events it wants and a generated signing secret; list, read, delete; read its
 * delivery log; send it a test event. Each is one transaction, or one read.
 */
import { type AuditContext, audit } from '../audit/index.js';
import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import { enqueue } from '../outbox/enqueue.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../store/schema.js';
import * as deliveries from '../store/webhook-deliveries.js';
import * as webhookEndpoints from '../store/webhook-endpoints.js';
import { newId } from '../util/ids.js';
import { EVENT_TYPES, eventBody, TEST_EVENT_TYPE, WEBHOOK_TOPIC, type WebhookMessage } from './events.js';

export const MAX_PAGE = 100;

const notFound = () => fail('resource_not_found', { subject: 'webhook endpoint', why: 'No webhook endpoint with that id exists.' });

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64 (192 bits). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function validUrl(deps: Deps, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail('form_param_format_invalid', { param: 'url', why: 'url must be an absolute http(s) URL.' });
  }
  // Events carry personal data (emails, usernames): outside development they travel over TLS only.
  const allowed = deps.config.mode === 'development' ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol)) {
    throw fail('form_param_format_invalid', { param: 'url', why: `url must use ${allowed.join(' or ').replace(/:/g, '')}.` });
  }
  if (url.username || url.password) throw fail('form_param_format_invalid', { param: 'url', why: 'url must not carry credentials.' });
  return url.toString();
}

export async function createWebhookEndpoint(
  deps: Deps,
  params: { url: string; event_types?: string[]; description?: string },
  ctx?: AuditContext,
): Promise<WebhookEndpointRow> {
  const url = validUrl(deps, params.url);
  const types = [...new Set(params.event_types ?? [])];
  const unknown = types.find((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown !== undefined) {
    throw fail('form_param_format_invalid', { param: 'event_types', why: `Unknown event type ${JSON.stringify(unknown)}; known: ${EVENT_TYPES.join(', ')}.` });
  }
  const now = deps.clock.now();
  const row: WebhookEndpointRow = {
    id: newId('ep', now),
    url,
    description: params.description ?? '',
    event_types: JSON.stringify(types),
    secret: newSigningSecret(),
    created_at: now,
    updated_at: now,
  };
  await deps.store.db.transaction().execute(async (trx) => {
    await webhookEndpoints.insert(trx, row);
    await audit(trx, now, 'webhook_endpoint.created', { data: { endpoint_id: row.id, url: row.url }, ctx });
  });
  return row;
}

export function listWebhookEndpoints(deps: Deps): Promise<WebhookEndpointRow[]> {
  return webhookEndpoints.all(deps.store.db);
}

export async function getWebhookEndpoint(deps: Deps, id: string): Promise<WebhookEndpointRow> {
  const row = await webhookEndpoints.byId(deps.store.db, id);
  if (!row) throw notFound();
  return row;
}

/** Deletes the endpoint and its log; messages still queued for it are dropped when they come due. */
export async function deleteWebhookEndpoint(deps: Deps, id: string, ctx?: AuditContext): Promise<void> {
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (trx) => {
    if (!(await webhookEndpoints.remove(trx, id))) throw notFound();
    await audit(trx, now, 'webhook_endpoint.deleted', { data: { endpoint_id: id }, ctx });
  });
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  total_count: number;
}

/** The endpoint's delivery log, newest first; `starting_after` is the last id of the previous page. */
export async function listWebhookDeliveries(
  deps: Deps,
  endpointId: string,
  params: { limit?: number; starting_after?: string },
): Promise<Page<WebhookDeliveryRow>> {
  const db = deps.store.db;
  await getWebhookEndpoint(deps, endpointId);
  const limit = params.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw fail('form_param_format_invalid', { param: 'limit', why: `limit must be an integer from 1 to ${MAX_PAGE}.` });
  }
  let after: WebhookDeliveryRow | undefined;
  if (params.starting_after !== undefined) {
    after = await deliveries.byId(db, params.starting_after);
    if (!after || after.endpoint_id !== endpointId) {
      throw fail('form_param_format_invalid', { param: 'starting_after', why: 'starting_after must be the id of a delivery of this endpoint.' });
    }
  }
  const rows = await deliveries.ofEndpoint(db, { endpointId, limit: limit + 1, ...(after ? { after } : {}) });
  return { data: rows.slice(0, limit), has_more: rows.length > limit, total_count: await deliveries.countOfEndpoint(db, endpointId) };
}

/** Queues a `webhook.test` event for this endpoint alone; resolves with its message id (`webhook-id`). */
export async function sendTestEvent(deps: Deps, endpointId: string): Promise<string> {
  const now = deps.clock.now();
  const id = await deps.store.db.transaction().execute(async (trx) => {
    const endpoint = await webhookEndpoints.byId(trx, endpointId);
    if (!endpoint) throw notFound();
    const body = eventBody(TEST_EVENT_TYPE, { object: 'webhook_endpoint', id: endpoint.id, message: 'A test event from Latchkey.' }, now);
    return enqueue(trx, now, { topic: WEBHOOK_TOPIC, payload: { endpoint_id: endpoint.id, type: TEST_EVENT_TYPE, body } satisfies WebhookMessage });
  });
  deps.dispatcher.kick();
  return id;
}

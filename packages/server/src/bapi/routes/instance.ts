/** `/v1/instance`, `/v1/audit_events`, `/v1/jwks`: the instance as a whole. */
import { listAuditEvents } from '../../admin/audit.js';
import { getSettings, updateSettings } from '../../admin/settings.js';
import type { InstanceSettings } from '../../settings/index.js';
import { toCamel } from '../../util/case.js';
import { auditEventJson, listJson, settingsJson } from '../present.js';
import { route } from '../route.js';
import { auditEventResponse, jwksResponse, listAuditQuery, listOf, settingsPatchBody, settingsResponse } from '../schemas.js';

export const instanceRoutes = [
  route({
    method: 'get',
    path: '/instance',
    tag: 'Instance',
    summary: 'Get the instance settings',
    response: settingsResponse,
    handler: async (c) => settingsJson(await getSettings(c.var.deps)),
  }),
  route({
    method: 'patch',
    path: '/instance',
    tag: 'Instance',
    summary: 'Change instance settings; they apply at once (other processes within a second) and are audited',
    body: settingsPatchBody,
    response: settingsResponse,
    handler: async (c, { body }) => {
      const patch = Object.fromEntries(Object.entries(body).map(([k, v]) => [toCamel(k), v])) as Partial<InstanceSettings>;
      return settingsJson(await updateSettings(c.var.deps, c.var.audit, patch));
    },
  }),
  route({
    method: 'get',
    path: '/audit_events',
    tag: 'Audit log',
    summary: 'List audit events in the order they happened (or newest first with order=desc), by user, type and time',
    query: listAuditQuery,
    response: listOf(auditEventResponse),
    handler: async (c, { query }) =>
      listJson(
        await listAuditEvents(c.var.deps, {
          limit: query.limit,
          ...(query.starting_after && { startingAfter: Number(query.starting_after) }),
          ...(query.user_id && { userId: query.user_id }),
          ...(query.type && { type: query.type }),
          ...(query.since !== undefined && { since: query.since }),
          ...(query.until !== undefined && { until: query.until }),
          ...(query.order === 'desc' && { newestFirst: true }),
        }),
        auditEventJson,
      ),
  }),
  route({
    method: 'get',
    path: '/jwks',
    tag: 'Instance',
    summary: 'The public keys of session tokens (also at /.well-known/jwks.json)',
    response: jwksResponse,
    handler: async (c) => c.var.deps.keys.publicJwks(),
  }),
];

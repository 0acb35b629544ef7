/** `/v1/sessions…`: every user's sessions. */
import { getSession, listSessions, mintToken, revokeSession } from '../../admin/sessions.js';
import { listJson, sessionJson } from '../present.js';
import { route } from '../route.js';
import { listOf, listSessionsQuery, sessionIdParams, sessionResponse, tokenResponse } from '../schemas.js';

const tag = 'Sessions';

export const sessionRoutes = [
  route({
    method: 'get',
    path: '/sessions',
    tag,
    summary: 'List sessions in creation order, by user, client and status',
    query: listSessionsQuery,
    response: listOf(sessionResponse),
    handler: async (c, { query }) =>
      listJson(
        await listSessions(c.var.deps, {
          limit: query.limit,
          ...(query.starting_after && { startingAfter: query.starting_after }),
          ...(query.user_id && { userId: query.user_id }),
          ...(query.client_id && { clientId: query.client_id }),
          ...(query.status && { status: query.status }),
        }),
        sessionJson,
      ),
  }),
  route({
    method: 'get',
    path: '/sessions/:session_id',
    tag,
    summary: 'Get a session',
    params: sessionIdParams,
    response: sessionResponse,
    handler: async (c, { params }) => sessionJson(await getSession(c.var.deps, params.session_id)),
  }),
  route({
    method: 'post',
    path: '/sessions/:session_id/revoke',
    tag,
    summary: "Revoke a session: the browser's next token request answers signed_out",
    params: sessionIdParams,
    response: sessionResponse,
    handler: async (c, { params }) => sessionJson(await revokeSession(c.var.deps, c.var.audit, params.session_id)),
  }),
  route({
    method: 'post',
    path: '/sessions/:session_id/tokens',
    tag,
    summary: 'Mint a session token for an active session (server-side tests)',
    params: sessionIdParams,
    response: tokenResponse,
    handler: async (c, { params }) => ({ object: 'token', jwt: await mintToken(c.var.deps, params.session_id) }),
  }),
];

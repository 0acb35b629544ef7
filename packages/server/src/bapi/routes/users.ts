/** `/v1/users…`: users and their passkeys. */
import { z } from 'zod';
import { createUser, deleteUser, deleteUserPasskey, getUser, listUserPasskeys, listUsers, setBanned, updateUser } from '../../admin/users.js';
import { deletedJson, listJson, passkeyJson, userJson } from '../present.js';
import { route } from '../route.js';
import {
  createUserBody,
  deletedResponse,
  listOf,
  listUsersQuery,
  passkeyParams,
  passkeyResponse,
  updateUserBody,
  userIdParams,
  userResponse,
} from '../schemas.js';

const tag = 'Users';

export const userRoutes = [
  route({
    method: 'get',
    path: '/users',
    tag,
    summary: 'List users in creation order; `query` searches usernames and email addresses',
    query: listUsersQuery,
    response: listOf(userResponse),
    handler: async (c, { query }) =>
      listJson(
        await listUsers(c.var.deps, { limit: query.limit, ...(query.starting_after && { startingAfter: query.starting_after }), ...(query.query && { query: query.query }) }),
        userJson,
      ),
  }),
  route({
    method: 'post',
    path: '/users',
    tag,
    summary: 'Create a user with a username and/or email address (no passkey yet)',
    body: createUserBody,
    response: userResponse,
    handler: async (c, { body }) => userJson(await createUser(c.var.deps, c.var.audit, body)),
  }),
  route({
    method: 'get',
    path: '/users/:user_id',
    tag,
    summary: 'Get a user',
    params: userIdParams,
    response: userResponse,
    handler: async (c, { params }) => userJson(await getUser(c.var.deps, params.user_id)),
  }),
  route({
    method: 'patch',
    path: '/users/:user_id',
    tag,
    summary: 'Update a user (identifiers; metadata objects are replaced whole)',
    params: userIdParams,
    body: updateUserBody,
    response: userResponse,
    handler: async (c, { params, body }) => userJson(await updateUser(c.var.deps, c.var.audit, params.user_id, body)),
  }),
  route({
    method: 'delete',
    path: '/users/:user_id',
    tag,
    summary: 'Delete a user with their passkeys and sessions',
    params: userIdParams,
    response: deletedResponse,
    handler: async (c, { params }) => deletedJson('user', (await deleteUser(c.var.deps, c.var.audit, params.user_id)).id),
  }),
  route({
    method: 'post',
    path: '/users/:user_id/ban',
    tag,
    summary: 'Ban a user: every sign-in is refused with user_banned and their sessions are revoked',
    params: userIdParams,
    response: userResponse,
    handler: async (c, { params }) => userJson(await setBanned(c.var.deps, c.var.audit, params.user_id, true)),
  }),
  route({
    method: 'post',
    path: '/users/:user_id/unban',
    tag,
    summary: 'Lift a ban',
    params: userIdParams,
    response: userResponse,
    handler: async (c, { params }) => userJson(await setBanned(c.var.deps, c.var.audit, params.user_id, false)),
  }),
  route({
    method: 'get',
    path: '/users/:user_id/passkeys',
    tag,
    summary: "List a user's passkeys",
    params: userIdParams,
    response: z.object({ data: z.array(passkeyResponse), total_count: z.number().int() }),
    handler: async (c, { params }) => {
      const rows = await listUserPasskeys(c.var.deps, params.user_id);
      return { data: rows.map(passkeyJson), total_count: rows.length };
    },
  }),
  route({
    method: 'delete',
    path: '/users/:user_id/passkeys/:passkey_id',
    tag,
    summary: "Delete one of a user's passkeys (the last one too)",
    params: passkeyParams,
    response: deletedResponse,
    handler: async (c, { params }) => deletedJson('passkey', (await deleteUserPasskey(c.var.deps, c.var.audit, params.user_id, params.passkey_id)).id),
  }),
];

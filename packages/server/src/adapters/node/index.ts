/**
 * Everything Node-specific the server uses. Nothing outside adapters/ imports `node:http` or
 * `@hono/node-server`: routes and middleware see only the `RuntimeAdapter` interface.
 */
import type { RuntimeAdapter } from '../../http/runtime.js';
import { readIncomingBody } from './body.js';
import { nodeClientAddress } from './conninfo.js';

export { listen, mountStatic, type Listening } from './serve.js';

export const nodeRuntime: RuntimeAdapter = {
  readBody: readIncomingBody,
  clientAddress: nodeClientAddress,
};

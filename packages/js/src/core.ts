import type { ApiRequest } from './http/request.js';
import type { GetTokenOptions } from './resources/types.js';

/**
 * What resources need from the Latchkey instance. Kept as an interface so resource files do not
 * import the instance (no cycles), and so the instance's own public surface stays small.
 */
export interface Core {
  /**
   * Sends a request, applies the piggy-backed `client` to the instance (so `user.passkeys` and
   * friends are current), and returns the envelope's `response` (or the bare body).
   * `/v1/me/...` paths get `_clerk_session_id` of the active session.
   */
  request(req: Omit<ApiRequest, 'sessionId'>): Promise<unknown>;
  /** Session JWT for a session, cached per session id across client refreshes. */
  getToken(sessionId: string, options?: GetTokenOptions): Promise<string>;
}

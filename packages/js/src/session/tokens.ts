import { isTokenFresh } from './jwt.js';

export type TokenFetcher = (sessionId: string) => Promise<string>;

/**
 * Session JWTs by session id. Lives on the Latchkey instance, not on Session objects, because
 * those are rebuilt from every piggy-backed client and would lose the cache each time.
 */
export class TokenCache {
  readonly #tokens = new Map<string, string>();
  // Concurrent getToken() calls share one request instead of minting several tokens.
  readonly #inflight = new Map<string, Promise<string>>();
  readonly #fetch: TokenFetcher;

  constructor(fetch: TokenFetcher) {
    this.#fetch = fetch;
  }

  /** Stores a token the server sent along (`last_active_token`), if it is newer than ours. */
  prime(sessionId: string, jwt: string | null | undefined): void {
    if (jwt && isTokenFresh(jwt)) this.#tokens.set(sessionId, jwt);
  }

  peek(sessionId: string): string | undefined {
    const jwt = this.#tokens.get(sessionId);
    return jwt && isTokenFresh(jwt) ? jwt : undefined;
  }

  async get(sessionId: string, options: { skipCache?: boolean } = {}): Promise<string> {
    if (!options.skipCache) {
      const cached = this.peek(sessionId);
      if (cached) return cached;
    }
    const running = this.#inflight.get(sessionId);
    if (running) return running;
    const request = this.#fetch(sessionId)
      .then((jwt) => {
        this.#tokens.set(sessionId, jwt);
        return jwt;
      })
      .finally(() => this.#inflight.delete(sessionId));
    this.#inflight.set(sessionId, request);
    return request;
  }

  forget(sessionId?: string): void {
    if (sessionId === undefined) this.#tokens.clear();
    else this.#tokens.delete(sessionId);
  }
}

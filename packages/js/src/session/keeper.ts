import { clearSessionCookie, writeSessionCookie } from './cookie.js';
import { msUntilRefresh } from './jwt.js';

export type TokenGetter = (sessionId: string, options: { skipCache?: boolean }) => Promise<string>;

/** Minimum pause between refreshes, so a server clock far ahead cannot make us spin. */
const MIN_DELAY_MS = 5_000;

/**
 * Keeps the active session's JWT fresh: writes it to `__session`, then sets a timer to fetch the
 * next one shortly before `exp` (tokens live ~60 s). One keeper per Latchkey instance.
 */
export class TokenKeeper {
  #sessionId: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #getToken: TokenGetter;
  readonly #onError: (err: unknown, sessionId: string) => void;

  constructor(getToken: TokenGetter, onError: (err: unknown, sessionId: string) => void) {
    this.#getToken = getToken;
    this.#onError = onError;
  }

  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** Starts (or restarts) keeping `sessionId`'s token; resolves once the cookie holds a token. */
  async start(sessionId: string, options: { skipCache?: boolean } = {}): Promise<string> {
    this.#sessionId = sessionId;
    this.#clearTimer();
    const jwt = await this.#getToken(sessionId, options);
    if (this.#sessionId === sessionId) this.publish(jwt);
    return jwt;
  }

  /** Writes a token for the kept session and schedules the next refresh. */
  publish(jwt: string): void {
    if (!this.#sessionId) return;
    writeSessionCookie(jwt);
    this.#clearTimer();
    const sessionId = this.#sessionId;
    this.#schedule(sessionId, Math.max(MIN_DELAY_MS, msUntilRefresh(jwt)));
  }

  #schedule(sessionId: string, delayMs: number): void {
    this.#timer = setTimeout(() => {
      // The timer fires at exp - leeway, when the cached token may still pass as fresh: skip the cache.
      this.start(sessionId, { skipCache: true }).catch((err: unknown) => {
        // Retry later (a network blip); onError may decide the session is gone and call stop().
        if (this.#sessionId === sessionId) this.#schedule(sessionId, MIN_DELAY_MS * 2);
        this.#onError(err, sessionId);
      });
    }, delayMs);
  }

  stop(): void {
    this.#sessionId = null;
    this.#clearTimer();
    clearSessionCookie();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

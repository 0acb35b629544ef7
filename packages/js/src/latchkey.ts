import type { Core } from './core.js';
import { isLatchkeyAPIResponseError, LatchkeyRuntimeError } from './errors.js';
import { send, unwrap, type ApiRequest, type FetchLike } from './http/request.js';
import { resolveFrontendApi } from './publishable-key.js';
import { Client } from './resources/client.js';
import { seg } from './resources/convert.js';
import { environmentFromJSON } from './resources/environment.js';
import type { Session } from './resources/session.js';
import type { ClientResource, EnvironmentResource, SessionResource, SignInResource, SignUpResource, UserResource } from './resources/types.js';
import type { ClientJSON, EnvironmentJSON, TokenJSON } from './resources/wire.js';
import { TokenKeeper } from './session/keeper.js';
import { TokenCache } from './session/tokens.js';

export interface LatchkeyOptions {
  /** Full URL of the Frontend API (e.g. `http://localhost:4000` or `https://app.example/__clerk`); overrides the key. */
  frontendApi?: string;
  /** Replaces the global fetch (tests, server-side rendering). */
  fetch?: FetchLike;
}

export interface LatchkeyResources {
  client: ClientResource;
  session: SessionResource | null;
  user: UserResource | null;
}

export type LatchkeyListener = (resources: LatchkeyResources) => void;

export interface SetActiveParams {
  /** A session id or object; `null` signs this tab out locally without ending the session. */
  session: string | SessionResource | null;
  /** Full-page navigation after activation (ignored when `navigate` is given). */
  redirectUrl?: string;
  /** Client-side navigation after activation, e.g. `({ session }) => router.push('/')`. */
  navigate?: (params: { session: SessionResource }) => void | Promise<unknown>;
}

export interface SignOutOptions {
  /** End only this session (multi-session mode); without it, every session of this browser ends. */
  sessionId?: string;
  redirectUrl?: string;
}

/**
 * The browser SDK's entry point, shaped like Clerk's `Clerk` object.
 * @example
 * const latchkey = new Latchkey('pk_test_…')
 * await latchkey.load()
 * latchkey.addListener(({ user }) => render(user))
 */
export class Latchkey {
  readonly publishableKey: string | undefined;
  /** Base URL every request goes to, without a trailing slash. */
  readonly frontendApi: string;
  readonly #fetch: FetchLike;
  readonly #listeners = new Set<LatchkeyListener>();
  readonly #tokens: TokenCache;
  readonly #keeper: TokenKeeper;
  readonly #core: Core;
  #client: Client | undefined;
  #environment: EnvironmentResource | undefined;
  #activeSessionId: string | null = null;
  #loaded = false;
  #loading: Promise<void> | undefined;

  constructor(publishableKey?: string, options: LatchkeyOptions = {}) {
    this.publishableKey = publishableKey;
    this.frontendApi = resolveFrontendApi(publishableKey, options.frontendApi);
    // A bare reference to window.fetch throws "Illegal invocation" when called detached.
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#core = {
      request: (req) => this.#request(req),
      getToken: (sid, opts) => this.#getToken(sid, opts),
    };
    this.#tokens = new TokenCache((sid) => this.#mintToken(sid));
    this.#keeper = new TokenKeeper(
      (sid, opts) => this.#tokens.get(sid, opts),
      (err, sid) => this.#onTokenError(err, sid),
    );
    this.#watchVisibility();
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get client(): ClientResource | undefined {
    return this.#client;
  }

  get environment(): EnvironmentResource | undefined {
    return this.#environment;
  }

  /** The active session: undefined before `load()`, null when signed out. */
  get session(): SessionResource | null | undefined {
    if (!this.#loaded) return undefined;
    return this.#findActive(this.#activeSessionId) ?? null;
  }

  get user(): UserResource | null | undefined {
    const session = this.session;
    return session === undefined ? undefined : (session?.user ?? null);
  }

  get signIn(): SignInResource | undefined {
    return this.#client?.signIn;
  }

  get signUp(): SignUpResource | undefined {
    return this.#client?.signUp;
  }

  /** True for an `active` session only: a `pending` one (after a recovery code) must add a passkey first. */
  get isSignedIn(): boolean {
    return this.session?.status === 'active';
  }

  /** Fetches the environment and this browser's client, and resumes its last active session. */
  load(): Promise<void> {
    this.#loading ??= this.#load().catch((err: unknown) => {
      this.#loading = undefined; // let a later call retry
      throw err;
    });
    return this.#loading;
  }

  async #load(): Promise<void> {
    const [env, clientBody] = await Promise.all([
      send(this.#fetch, this.frontendApi, { path: '/v1/environment' }),
      send(this.#fetch, this.frontendApi, { path: '/v1/client' }),
    ]);
    this.#environment = environmentFromJSON(env as EnvironmentJSON);
    const { response, hasClient, client } = unwrap(clientBody);
    this.#applyClient((hasClient ? client : response) as ClientJSON | null, false);

    const last = this.#client?.lastActiveSessionId ?? null;
    if (last && this.#findActive(last)) {
      this.#activeSessionId = last;
      // A failed token fetch must not fail load(): the page can still render, and the keeper retries.
      await this.#keeper.start(last).catch((err: unknown) => this.#onTokenError(err, last));
    } else {
      this.#keeper.stop(); // drops a stale __session cookie left by an earlier visit
    }
    this.#loaded = true;
    this.#emit();
  }

  /**
   * Makes a session the active one: touches it on the server, primes its token, writes the
   * `__session` cookie and notifies listeners. Pass `null` to clear the active session.
   */
  async setActive(params: SetActiveParams): Promise<void> {
    await this.load();
    const { session, redirectUrl, navigate } = params;
    const sid = typeof session === 'string' ? session : (session?.id ?? null);
    if (!sid) {
      this.#deactivate();
      this.#emit();
      return;
    }
    await this.#core.request({ path: `/v1/client/sessions/${seg(sid)}/touch`, method: 'POST' });
    // A server that did not piggy-back the client still lets us find the new session.
    if (!this.#findActive(sid)) await this.#reloadClient();
    if (!this.#findActive(sid)) {
      throw new LatchkeyRuntimeError(`Session ${sid} is not an active session of this browser.`, { code: 'session_not_found' });
    }
    this.#activeSessionId = sid;
    try {
      await this.#keeper.start(sid);
    } finally {
      this.#emit();
    }
    const active = this.#findActive(sid)!;
    if (navigate) await navigate({ session: active });
    else if (redirectUrl && typeof location !== 'undefined') location.assign(redirectUrl);
  }

  /**
   * Signs out, as Clerk's `signOut()`: with no `sessionId`, ends every session of this browser
   * (`DELETE /v1/client/sessions`) — in single-session mode that is the one account; in
   * multi-session mode, all of them. With `sessionId`, ends that session only. The local state is
   * signed out even if the server already forgot the session.
   */
  async signOut(options: SignOutOptions = {}): Promise<void> {
    await this.load();
    const sid = options.sessionId ?? null;
    try {
      if (sid) await this.#core.request({ path: `/v1/client/sessions/${seg(sid)}/end`, method: 'POST' });
      else await this.#core.request({ path: '/v1/client/sessions', method: 'DELETE' });
    } catch (err) {
      // 401/404: the server already considers it signed out, which is what the caller wanted.
      if (!(isLatchkeyAPIResponseError(err) && (err.status === 401 || err.status === 404))) throw err;
      await this.#reloadClient().catch(() => undefined);
    } finally {
      if (!sid || sid === this.#activeSessionId) this.#deactivate();
      this.#emit();
    }
    if (options.redirectUrl && typeof location !== 'undefined') location.assign(options.redirectUrl);
  }

  /** Calls `listener` on every change of client, session or user (and at once if loaded). */
  addListener(listener: LatchkeyListener): () => void {
    this.#listeners.add(listener);
    if (this.#loaded) this.#call(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  // ---- internals --------------------------------------------------------------------------

  async #request(req: Omit<ApiRequest, 'sessionId'>): Promise<unknown> {
    const body = await send(this.#fetch, this.frontendApi, { ...req, sessionId: this.#activeSessionId });
    const { response, hasClient, client } = unwrap(body);
    if (hasClient) this.#applyClient(client as ClientJSON | null, true);
    return response;
  }

  async #reloadClient(): Promise<void> {
    const { response, hasClient, client } = unwrap(await send(this.#fetch, this.frontendApi, { path: '/v1/client' }));
    this.#applyClient((hasClient ? client : response) as ClientJSON | null, true);
  }

  /** Replaces the client; drops the active session if the server no longer lists it as active. */
  #applyClient(json: ClientJSON | null, emit: boolean): void {
    const client = new Client(json, this.#core);
    for (const s of client.sessions) this.#tokens.prime(s.id, s.lastActiveToken?.jwt);
    this.#client = client;
    if (this.#activeSessionId && !this.#findActive(this.#activeSessionId)) this.#deactivate();
    if (emit) this.#emit();
  }

  #findActive(sid: string | null): Session | undefined {
    if (!sid) return undefined;
    // A pending session (signed in with a recovery code) is the browser's session too: it acts
    // in `/v1/me` calls, which is how it adds the passkey that makes it active.
    return this.#client?.sessions.find((s) => s.id === sid && (s.status === 'active' || s.status === 'pending'));
  }

  #deactivate(): void {
    if (this.#activeSessionId) this.#tokens.forget(this.#activeSessionId);
    this.#activeSessionId = null;
    this.#keeper.stop();
  }

  async #mintToken(sid: string): Promise<string> {
    const body = (await this.#core.request({ path: `/v1/client/sessions/${seg(sid)}/tokens`, method: 'POST' })) as TokenJSON | null;
    if (typeof body?.jwt !== 'string') {
      throw new LatchkeyRuntimeError('The server returned no session token.', { code: 'session_not_found' });
    }
    return body.jwt;
  }

  async #getToken(sid: string, options: { skipCache?: boolean } = {}): Promise<string> {
    const jwt = await this.#tokens.get(sid, options);
    // Whatever token the app just got is also the one its server should see in the cookie.
    if (sid === this.#activeSessionId && this.#keeper.sessionId === sid) this.#keeper.publish(jwt);
    return jwt;
  }

  #onTokenError(err: unknown, sid: string): void {
    // 401/404 mean the session ended elsewhere (another tab, revocation): resync, which signs out.
    if (isLatchkeyAPIResponseError(err) && (err.status === 401 || err.status === 404) && sid === this.#activeSessionId) {
      this.#reloadClient().catch(() => undefined);
    }
  }

  // Timers are throttled in background tabs; catch up as soon as the tab is visible again.
  #watchVisibility(): void {
    if (typeof document === 'undefined' || typeof document.addEventListener !== 'function') return;
    document.addEventListener('visibilitychange', () => {
      const sid = this.#activeSessionId;
      if (document.visibilityState !== 'visible' || !sid || this.#tokens.peek(sid)) return;
      this.#keeper.start(sid).catch((err: unknown) => this.#onTokenError(err, sid));
    });
  }

  #emit(): void {
    if (!this.#loaded) return;
    for (const listener of this.#listeners) this.#call(listener);
  }

  #call(listener: LatchkeyListener): void {
    try {
      listener({ client: this.#client!, session: this.session ?? null, user: this.user ?? null });
    } catch (err) {
      // One broken listener must not stop the others or corrupt the SDK's state.
      console.error('[latchkey] listener failed', err);
    }
  }
}

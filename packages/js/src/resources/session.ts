import type { Core } from '../core.js';
import { seg, toDate, toDateOrEpoch } from './convert.js';
import type { GetTokenOptions, SessionResource, SessionStatus, SessionTask, TokenResource, UserResource } from './types.js';
import { User } from './user.js';
import type { SessionJSON } from './wire.js';

export class Session implements SessionResource {
  id!: string;
  status!: SessionStatus;
  tasks!: SessionTask[] | null;
  user!: UserResource | null;
  lastActiveAt!: Date;
  expireAt!: Date;
  abandonAt!: Date | null;
  lastActiveToken!: TokenResource | null;
  createdAt!: Date;
  updatedAt!: Date;
  readonly #core: Core;

  constructor(json: SessionJSON, core: Core) {
    this.#core = core;
    this.fromJSON(json);
  }

  fromJSON(json: SessionJSON): this {
    this.id = json.id;
    this.status = json.status as SessionStatus;
    this.tasks = json.tasks?.length ? json.tasks.map((t) => ({ key: t.key })) : null;
    this.user = json.user ? new User(json.user, this.#core) : null;
    this.lastActiveAt = toDateOrEpoch(json.last_active_at);
    this.expireAt = toDateOrEpoch(json.expire_at);
    this.abandonAt = toDate(json.abandon_at);
    const jwt = json.last_active_token?.jwt;
    this.lastActiveToken = jwt ? { jwt, getRawString: () => jwt } : null;
    this.createdAt = toDateOrEpoch(json.created_at);
    this.updatedAt = toDateOrEpoch(json.updated_at);
    return this;
  }

  get currentTask(): SessionTask | undefined {
    return this.tasks?.[0];
  }

  async getToken(options: GetTokenOptions = {}): Promise<string | null> {
    // A pending session has tokens too; they say `sts: "pending"`, which app servers refuse.
    if (this.status !== 'active' && this.status !== 'pending') return null;
    return this.#core.getToken(this.id, options);
  }

  async touch(): Promise<SessionResource> {
    return this.fromJSON((await this.#core.request({ path: `/v1/client/sessions/${seg(this.id)}/touch`, method: 'POST' })) as SessionJSON);
  }

  async end(): Promise<SessionResource> {
    return this.fromJSON((await this.#core.request({ path: `/v1/client/sessions/${seg(this.id)}/end`, method: 'POST' })) as SessionJSON);
  }
}

import type { Core } from '../core.js';
import { seg, toDate, toDateOrEpoch } from './convert.js';
import type { SessionStatus, SessionWithActivitiesResource } from './types.js';
import type { SessionActivityJSON } from './wire.js';

/** One entry of `user.getSessions()`: a session of this user on some browser. */
export class SessionWithActivities implements SessionWithActivitiesResource {
  id!: string;
  status!: SessionStatus;
  lastActiveAt!: Date;
  expireAt!: Date;
  abandonAt!: Date | null;
  createdAt!: Date;
  latestActivity = null;
  readonly #core: Core;

  constructor(json: SessionActivityJSON, core: Core) {
    this.#core = core;
    this.fromJSON(json);
  }

  fromJSON(json: SessionActivityJSON): this {
    this.id = json.id;
    this.status = json.status as SessionStatus;
    this.lastActiveAt = toDateOrEpoch(json.last_active_at);
    this.expireAt = toDateOrEpoch(json.expire_at);
    this.abandonAt = toDate(json.abandon_at);
    this.createdAt = toDateOrEpoch(json.created_at);
    return this;
  }

  async revoke(): Promise<SessionWithActivitiesResource> {
    return this.fromJSON((await this.#core.request({ path: `/v1/me/sessions/${seg(this.id)}/revoke`, method: 'POST' })) as SessionActivityJSON);
  }
}

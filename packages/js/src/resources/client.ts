import type { Core } from '../core.js';
import { toDate } from './convert.js';
import { Session } from './session.js';
import { SignIn } from './sign-in.js';
import { SignUp } from './sign-up.js';
import type { ClientResource } from './types.js';
import type { ClientJSON } from './wire.js';

/**
 * One browser's state. Rebuilt (a new object) from every piggy-backed `client`, so identity
 * comparison tells UI bindings that something changed.
 */
export class Client implements ClientResource {
  readonly id: string;
  readonly sessions: Session[];
  readonly signIn: SignIn;
  readonly signUp: SignUp;
  readonly lastActiveSessionId: string | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;

  constructor(json: ClientJSON | null, core: Core) {
    this.id = json?.id ?? '';
    this.sessions = (json?.sessions ?? []).map((s) => new Session(s, core));
    // Always a SignIn/SignUp object, even with none on the server, so `signIn.create()` works.
    this.signIn = new SignIn(json?.sign_in ?? null, core);
    this.signUp = new SignUp(json?.sign_up ?? null, core);
    this.lastActiveSessionId = json?.last_active_session_id ?? null;
    this.createdAt = toDate(json?.created_at);
    this.updatedAt = toDate(json?.updated_at);
  }

  get signedInSessions(): Session[] {
    return this.sessions.filter((s) => s.status === 'active');
  }
}

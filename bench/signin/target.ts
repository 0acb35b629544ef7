/**
 * What the load driver needs from a system under test: register a new user with a passkey, and
 * sign that user in with it, each as the system's own browser SDK would do it over HTTP. One
 * implementation per system (Latchkey, and better-auth as the peer).
 */
import type { SoftwareAuthenticator } from '../../packages/server/test/support/authenticator.js';
import type { Http } from '../lib/http.js';

export interface BenchUser {
  /** Unique per user: e-mail address or username, whatever the system signs up with. */
  identifier: string;
  /** Holds this user's credential (and private key) in the driver's memory. */
  authenticator: SoftwareAuthenticator;
  /** base64url credential id of the passkey the user signs in with. */
  credentialId: string;
}

export interface Target {
  readonly name: string;
  /** The browser origin the driver claims (`Origin` header and clientDataJSON.origin). */
  readonly origin: string;
  /** Full registration of user number `index`: account, then passkey. Throws on any failure. */
  register(http: Http, index: number): Promise<BenchUser>;
  /**
   * Full passkey sign-in from a fresh browser (no cookies), ending with a session the app can
   * use: for Latchkey, create sign-in → attempt first factor → mint the session token. Throws
   * on any failure.
   */
  signIn(http: Http, user: BenchUser): Promise<void>;
}

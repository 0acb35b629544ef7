/**
 * When a session is live: its status is `active`, its absolute lifetime has not run out and it
 * was used within the idle timeout — checked on every read, so an expired session is refused
 * even before anything marks it expired.
 */
import type { InstanceSettings } from '../settings/index.js';
import type { SessionRow } from '../store/schema.js';

export type Lifetimes = Pick<InstanceSettings, 'sessionIdleSeconds' | 'sessionMaxSeconds'>;

export function isLive(s: SessionRow, now: number, lifetimes: Lifetimes): boolean {
  return s.status === 'active' && now < s.expire_at && now - s.last_active_at < lifetimes.sessionIdleSeconds * 1000;
}

/** When an idle session ends: the earlier of its idle deadline and its absolute expiry. */
export function abandonAt(s: SessionRow, lifetimes: Lifetimes): number {
  return Math.min(s.expire_at, s.last_active_at + lifetimes.sessionIdleSeconds * 1000);
}

/**
 * When a failed delivery is tried again: exponential backoff from 5 seconds, times 4 per attempt,
 * capped at 6 hours — 5 s, 20 s, 80 s, ~5 min, ~21 min, ~85 min, ~5.7 h, then 6 h. After
 * `MAX_ATTEMPTS` the message is given up (`failed`), about a day and a half after the event.
 */
export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 6 * 3600_000;
export const MAX_ATTEMPTS = 10;

/** Delay before the next attempt, after `attempts` attempts have failed (1 = the first one). */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 4 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

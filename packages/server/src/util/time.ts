/** Injected clock so tests can move time (expiry, idle timeouts) without sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

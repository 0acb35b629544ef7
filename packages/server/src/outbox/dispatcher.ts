/**
 * Delivers outbox messages outside any request. Each run claims a batch of due messages (a lease,
 * safe with dispatchers in several processes: see `store/outbox.claimDue`), hands each to the
 * handler of its topic, and settles it: done, retried later with backoff, or failed for good.
 *
 * Runs come from a poll timer and from `kick()` after a request committed messages, so delivery
 * starts at once without the request waiting for it. A process killed mid-delivery leaves its
 * claims to expire; another dispatcher (or the restarted process) then delivers them.
 */
import type { OutboxRow } from '../store/schema.js';
import * as outbox from '../store/outbox.js';
import type { Store } from '../store/db.js';
import type { Clock } from '../util/time.js';
import { randomBase64url } from '../util/random.js';
import { MAX_ATTEMPTS, retryDelayMs } from './backoff.js';
import { enqueuedCount } from './enqueue.js';

/** What a handler made of one message. `retry: false` gives up at once (e.g. it can never succeed). */
export type Outcome = { ok: true } | { ok: false; error: string; retry?: boolean };

export type Handler = (message: OutboxRow) => Promise<Outcome>;

export interface DispatcherOptions {
  /** How long a claim is held. Longer than any one delivery can take (webhook requests time out at 15 s). */
  leaseMs?: number;
  /** Messages claimed per run. */
  batch?: number;
  /** Poll interval, for messages written by other processes and retries coming due. */
  pollMs?: number;
  maxAttempts?: number;
}

export const DEFAULT_LEASE_MS = 60_000;

export class Dispatcher {
  private readonly leaseMs: number;
  private readonly batch: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private seen = enqueuedCount();

  constructor(
    private readonly deps: { store: Store; clock: Clock; log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void },
    private readonly handlers: Record<string, Handler>,
    o: DispatcherOptions = {},
  ) {
    this.leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
    this.batch = o.batch ?? 20;
    this.pollMs = o.pollMs ?? 5_000;
    this.maxAttempts = o.maxAttempts ?? MAX_ATTEMPTS;
  }

  /** Claims and delivers one batch of due messages; resolves with how many it handled. */
  async runOnce(): Promise<number> {
    const now = this.deps.clock.now();
    const token = randomBase64url(12);
    const claimed = await outbox.claimDue(this.deps.store.db, { topics: Object.keys(this.handlers), now, limit: this.batch, leaseMs: this.leaseMs, token });
    await Promise.all(claimed.map((m) => this.deliver(m, token)));
    return claimed.length;
  }

  /** Runs until nothing is due (tests, and a kick that finds a backlog). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      total += n;
      if (n < this.batch) return total;
    }
  }

  private async deliver(message: OutboxRow, token: string): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.handlers[message.topic]!(message);
    } catch (err) {
      outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    const now = this.deps.clock.now();
    const db = this.deps.store.db;
    if (outcome.ok) {
      await outbox.settle(db, { id: message.id, token, status: 'done', error: null, now });
      return;
    }
    const giveUp = outcome.retry === false || message.attempts >= this.maxAttempts;
    await outbox.settle(db, {
      id: message.id,
      token,
      status: giveUp ? 'failed' : 'pending',
      ...(giveUp ? {} : { availableAt: now + retryDelayMs(message.attempts) }),
      error: outcome.error.slice(0, 500),
      now,
    });
    if (giveUp) this.deps.log('warn', 'outbox message given up', { id: message.id, topic: message.topic, attempts: message.attempts, error: outcome.error });
  }

  /** Starts polling; `kick()` runs sooner. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * After a request committed: run now if this process wrote messages since the last run. Cheap
   * when it did not (no query), so it can be called after every change.
   */
  kick(): void {
    if (this.stopped || enqueuedCount() === this.seen) return;
    this.schedule(0);
  }

  /** Stops polling and waits for deliveries in flight (their claims are settled). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.loop(), delay);
    // Polling must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  private loop(): void {
    this.timer = null;
    if (this.stopped) return;
    this.seen = enqueuedCount();
    this.running = this.drain()
      .then(
        () => undefined,
        (err) => this.deps.log('error', 'outbox dispatch failed', { error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        const again = this.again;
        this.again = false;
        this.schedule(again ? 0 : this.pollMs);
      });
  }
}

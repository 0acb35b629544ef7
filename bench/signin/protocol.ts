/**
 * Messages between an orchestrator and a load-driver process (`driver.ts`, started with
 * `child_process.fork`). The driver holds its users' private keys in memory, so one driver
 * process serves one target for a whole run: register (or import) users, then run load phases.
 */

export type TargetName = 'latchkey' | 'peer';

/** A user created outside HTTP (bulk-loaded into the database), handed to the driver. */
export interface ImportedUser {
  identifier: string;
  /** base64url credential id, as stored. */
  credentialId: string;
  /** base64url WebAuthn user handle, as stored. */
  userHandle: string;
  /** The credential's ES256 private key, PKCS#8 DER, base64. */
  privateKeyPkcs8: string;
  /** Stored signature counter. */
  counter: number;
  rpId: string;
}

export type DriverCommand =
  | { cmd: 'init'; target: TargetName; url: string; connections: number }
  /** Registers `count` new users over HTTP, `concurrency` at a time; answers a PhaseResult. */
  | { cmd: 'register'; count: number; concurrency: number }
  | { cmd: 'import'; users: ImportedUser[] }
  /**
   * Signs users in (round robin over all known users) with `concurrency` loops for `durationMs`,
   * after `warmupMs` of the same load that is not counted; answers a PhaseResult.
   */
  | { cmd: 'signin'; concurrency: number; durationMs: number; warmupMs: number }
  /**
   * Open loop: starts sign-ins at a fixed `rate` per second whatever the answers do, with at most
   * `concurrency` in flight; latency counts from the scheduled start, so a stalled server shows
   * in the percentiles instead of slowing the load down (no coordinated omission).
   */
  | { cmd: 'signin-rate'; rate: number; concurrency: number; durationMs: number; warmupMs: number }
  | { cmd: 'exit' };

export interface PhaseResult {
  /** Completed operations (registrations or sign-ins) in the measured window. */
  ok: number;
  errors: number;
  /** Open loop only: starts skipped because `concurrency` sign-ins were already in flight. */
  skipped?: number;
  /** First few distinct error messages, for the report. */
  errorSamples: string[];
  /** Measured window, ms. */
  elapsedMs: number;
  /** Latency of whole operations in the window, ms. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export type DriverReply =
  | { ok: true; result?: PhaseResult; users?: number }
  | { ok: false; error: string };

/** The orchestrator signals the start and end of a measured window so it can read /proc around it. */
export type DriverEvent = { event: 'window-start' } | { event: 'window-end' };

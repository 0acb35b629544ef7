/**
 * Servers under test as real child processes, started the way an operator starts them, plus the
 * load-driver processes. Each server prints one line with its URL when it is ready.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, peakRssMiB, resetPeakRss } from './proc.js';
import type { DriverCommand, DriverEvent, DriverReply, ImportedUser, PhaseResult, TargetName } from '../signin/protocol.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(name: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${out}`));
    });
  });
  return {
    name,
    url,
    pid: child.pid!,
    output: () => out,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * `latchkey start` from the built CLI; SQLite in `dataDir` unless `DATABASE_URL` is given.
 * `LATCHKEY_BENCH_CLI` points at another build's `dist/cli.js`, to compare two versions.
 */
export function startLatchkey(env: Record<string, string>, nodeArgs: string[] = [], cli?: string): Promise<ServerProcess> {
  return startServer(
    'latchkey',
    [...nodeArgs, cli ?? process.env.LATCHKEY_BENCH_CLI ?? path.join(ROOT, 'packages/server/dist/cli.js'), 'start'],
    // Rate limits off: one load-driver IP would otherwise be throttled (the banner warns).
    { LATCHKEY_RATE_LIMIT: 'off', ...env },
    /running at (http:\/\/\S+)/,
  );
}

/** better-auth with its passkey plugin (bench/peer), on SQLite at `dbFile`. */
export function startPeer(dbFile: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServer('better-auth', [path.join(ROOT, 'bench/peer/server.mjs')], { PEER_DB: dbFile, ...env }, /peer running at (http:\/\/\S+)/);
}

export interface Measured {
  result: PhaseResult;
  /** Server CPU time (user + system) over the measured window, ms. */
  serverCpuMs: number;
  /** Server peak RSS during the phase, MiB. */
  serverPeakRssMiB: number;
}

/** A forked load driver for one target, with the server's /proc read around each window. */
export class Driver {
  private pending: ((r: DriverReply) => void) | null = null;
  private windowStartCpu = 0;
  private windowEndCpu = 0;
  private readonly windowListeners = new Set<(event: DriverEvent['event']) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly server: ServerProcess,
  ) {
    child.on('message', (m: DriverReply | DriverEvent) => {
      if ('event' in m) {
        if (m.event === 'window-start') this.windowStartCpu = cpuMs(server.pid);
        else this.windowEndCpu = cpuMs(server.pid);
        for (const listener of this.windowListeners) listener(m.event);
        return;
      }
      const p = this.pending;
      this.pending = null;
      p?.(m);
    });
  }

  static async start(target: TargetName, server: ServerProcess, connections = 256): Promise<Driver> {
    const child = fork(path.join(ROOT, 'bench/signin/driver.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const d = new Driver(child, server);
    await d.send({ cmd: 'init', target, url: server.url, connections });
    return d;
  }

  private send(c: DriverCommand): Promise<DriverReply & { ok: true }> {
    if (this.pending) throw new Error('one driver command at a time');
    return new Promise((resolve, reject) => {
      this.pending = (r) => (r.ok ? resolve(r) : reject(new Error(`driver: ${r.error}`)));
      this.child.send(c);
    });
  }

  private async measured(c: DriverCommand): Promise<Measured> {
    resetPeakRss(this.server.pid);
    const r = await this.send(c);
    return { result: r.result!, serverCpuMs: this.windowEndCpu - this.windowStartCpu, serverPeakRssMiB: peakRssMiB(this.server.pid) };
  }

  /** The driver process's pid, to read its own CPU use. */
  get pid(): number {
    return this.child.pid!;
  }

  /** Calls `listener` as each measured window starts and ends (to read other processes' /proc). */
  onWindow(listener: (event: DriverEvent['event']) => void): () => void {
    this.windowListeners.add(listener);
    return () => this.windowListeners.delete(listener);
  }

  register(count: number, concurrency: number): Promise<Measured> {
    return this.measured({ cmd: 'register', count, concurrency });
  }

  signIn(concurrency: number, durationMs: number, warmupMs: number): Promise<Measured> {
    return this.measured({ cmd: 'signin', concurrency, durationMs, warmupMs });
  }

  signInAtRate(rate: number, concurrency: number, durationMs: number, warmupMs: number): Promise<Measured> {
    return this.measured({ cmd: 'signin-rate', rate, concurrency, durationMs, warmupMs });
  }

  async importUsers(users: ImportedUser[]): Promise<number> {
    // IPC messages stay small: send in slices.
    let total = 0;
    for (let i = 0; i < users.length; i += 1000) total = (await this.send({ cmd: 'import', users: users.slice(i, i + 1000) })).users!;
    return total;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ cmd: 'exit' } satisfies DriverCommand);
    await exited;
  }
}

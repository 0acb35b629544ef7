/**
 * Runs the built server (`dist/cli.js start`) as a real child process, the way an operator does,
 * and reads the printed URL. Used where one process is not enough: scale-out and start-up tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');
/** The executable npm links as `latchkey` (it loads dist/cli.js). */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/latchkey.js');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `script`: another entry point that prints the same banner (a test fixture), instead of the CLI. */
export async function startServerProcess(env: Record<string, string>, o: { script?: string } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, o.script ? [o.script] : [CLI, 'start'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    // Far above a start on a busy machine (seconds): only a hung start trips it, with its output.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 100_000);
    child.stdout!.on('data', () => {
      const m = out.match(/running at (http:\/\/localhost:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A `fetch`-backed stand-in for `app.request`, so TestBrowser can talk to a real process. */
export function remote(baseUrl: () => string) {
  return { request: (p: string, init?: RequestInit) => fetch(baseUrl() + p, init) };
}

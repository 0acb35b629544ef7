/**
 * Commands run the way a developer runs them in a terminal: `run` waits for the exit and fails
 * with the output; `startLogged` keeps a long-running process and waits for the line that says
 * it is ready (an event, never a guessed time).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** Runs `cmd` to its end; returns its standard output. */
export async function run(cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { ...o, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${o.cwd}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

export interface Logged {
  output(): string;
  stop(): Promise<void>;
}

/** Starts `cmd` in its own process group (npx runs the real program as its child) and waits for `ready`. */
export async function startLogged(cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp }): Promise<Logged> {
  const child: ChildProcess = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      if (o.ready.test(out)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out}`)));
  });
  return {
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM'); // the group: npx and the program it started
      await exited;
    },
  };
}

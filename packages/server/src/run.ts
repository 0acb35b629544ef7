/**
 * Running as a foreground process: what `latchkey start` and an embedding app's own entry point
 * (the demo) share — print the banner, close cleanly on SIGINT/SIGTERM, and turn a start-up
 * failure into a message and an exit code instead of a stack trace.
 */
import { ConfigError } from './config/index.js';
import { type RunningServer, startupBanner } from './server.js';
import { StartupError } from './startup/errors.js';

/** Prints the banner and keeps the server until the process is told to stop. */
export function serveUntilSignalled(server: RunningServer): void {
  for (const line of startupBanner(server)) console.log(line);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * Exit 78 (EX_CONFIG) with one line per bad variable (or per start-up failure an operator fixes:
 * port taken, database unreachable), or 1 with the reason; never a stack trace.
 */
export function exitOnStartupError(err: unknown): never {
  if (err instanceof ConfigError) {
    for (const problem of err.problems) console.error(`Invalid configuration: ${problem}`);
    process.exit(78);
  }
  if (err instanceof StartupError) {
    console.error(`Latchkey cannot start: ${err.message}`);
    process.exit(78);
  }
  console.error(`Latchkey failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

/**
 * What a `latchkey` command is. Adding one is a file in commands/ exporting a `Command`, plus a
 * line in the list of cli/index.ts; help, usage errors and exit codes come from there.
 */
export interface Command {
  /** The words that select it, e.g. `start`, or `keys create` for a subcommand. */
  name: string;
  /** Arguments after the name, for the usage line (e.g. `<name>`); empty when it takes none. */
  args?: string;
  /** One line for the command list of `latchkey --help`. */
  summary: string;
  /** The body of `latchkey <command> --help`: what it does, what it reads, what it prints. */
  help: string;
  /** Runs it. Throw ConfigError/StartupError for what an operator fixes, UsageError for bad arguments. */
  run(args: string[]): Promise<void>;
}

/** Bad arguments: the CLI prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** For commands that take no arguments: configuration comes from the environment. */
export function noArguments(command: string, args: string[]): void {
  if (args.length === 0) return;
  throw new UsageError(
    `latchkey ${command} takes no arguments (got "${args.join(' ')}"); configuration comes from environment variables, e.g. PORT=4000 latchkey start`,
  );
}

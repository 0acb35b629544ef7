/**
 * The `latchkey` command line: finds the command named by the arguments, prints help, and turns
 * failures into exit codes (2 bad usage, 78 configuration or start-up problem, 1 anything else).
 * Commands are listed here, one module each in commands/; each loads what it needs when it runs,
 * so help answers at once.
 */
import { readFileSync } from 'node:fs';
import { type Command, UsageError } from './command.js';
import { adminInvite } from './commands/admin.js';
import { jwtPublicKey, jwtTemplates } from './commands/jwt.js';
import { keysCreate, keysList, keysRevoke } from './commands/keys.js';
import { migrate } from './commands/migrate.js';
import { rotateKeys } from './commands/rotate-keys.js';
import { start } from './commands/start.js';
import { sweepCommand } from './commands/sweep.js';

export const COMMANDS: readonly Command[] = [start, migrate, rotateKeys, keysCreate, keysList, keysRevoke, sweepCommand, jwtPublicKey, jwtTemplates, adminInvite];

const HELP_FLAGS = new Set(['--help', '-h']);

function version(): string {
  // dist/cli/index.js and src/cli/index.ts are both two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function usageLine(c: Command): string {
  return `Usage: latchkey ${c.name}${c.args ? ` ${c.args}` : ''} [--help]`;
}

export function generalHelp(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  return [
    'latchkey — self-hosted passkey (WebAuthn) authentication',
    '',
    'Usage: latchkey [command] [--help]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Configuration comes from environment variables (PORT, DATABASE_URL, LATCHKEY_*), listed in',
    'docs/configuration.md. Run `latchkey <command> --help` for what a command does.',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return [`latchkey ${c.name} — ${c.summary}`, '', usageLine(c), '', c.help].join('\n');
}

/** The command whose name is the longest run of leading words, and the arguments after it. */
export function findCommand(words: string[], commands: readonly Command[] = COMMANDS): { command: Command; args: string[] } | null {
  let best: { command: Command; args: string[] } | null = null;
  for (const command of commands) {
    const name = command.name.split(' ');
    if (name.every((w, i) => words[i] === w) && (!best || name.length > best.command.name.split(' ').length)) {
      best = { command, args: words.slice(name.length) };
    }
  }
  return best;
}

function unknown(words: string[], commands: readonly Command[]): string {
  // A group word such as `keys` alone lists its subcommands.
  const group = commands.filter((c) => c.name.startsWith(`${words[0]} `));
  if (group.length) return [`"latchkey ${words[0]}" needs a subcommand:`, ...group.map((c) => `  latchkey ${c.name}   ${c.summary}`)].join('\n');
  return `Unknown command "${words[0]}". Commands: ${commands.map((c) => c.name).join(', ')}. Run \`latchkey --help\` for details.`;
}

/** Runs the CLI with `argv` (without `node` and the script). Exits the process on failure. */
export async function runCli(argv: string[], commands: readonly Command[] = COMMANDS): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined) return runCommand(start, []);
  if (HELP_FLAGS.has(first) || (first === 'help' && rest.length === 0)) {
    console.log(generalHelp(commands));
    return;
  }
  if (first === '--version' || first === '-v') {
    console.log(version());
    return;
  }
  const words = first === 'help' ? rest : argv;
  const found = findCommand(words, commands);
  if (!found) {
    console.error(unknown(words, commands));
    process.exit(2);
  }
  if (first === 'help' || found.args.some((a) => HELP_FLAGS.has(a))) {
    console.log(commandHelp(found.command));
    return;
  }
  return runCommand(found.command, found.args);
}

async function runCommand(command: Command, args: string[]): Promise<void> {
  // Keeps the process alive until the command settles: some waits (a worker thread's exit when
  // the SQLite store closes) hold no handle of their own, and Node would otherwise end the process
  // with exit code 0 in the middle of the command.
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n${usageLine(command)}`);
      process.exit(2);
    }
    const { exitOnStartupError } = await import('../run.js');
    exitOnStartupError(err);
  } finally {
    clearInterval(keepAlive);
  }
}

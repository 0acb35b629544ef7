import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { COMMANDS, commandHelp, findCommand, generalHelp } from './index.js';

const stub = (name: string): Command => ({ name, summary: `does ${name}`, help: `Help of ${name}.`, run: async () => {} });

describe('the CLI dispatcher', () => {
  it('lists every command, each with a summary, a usage line and help', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(['start', 'migrate', 'rotate-keys', 'keys create', 'keys list', 'keys revoke', 'sweep', 'jwt-public-key', 'jwt-templates', 'admin invite']);
    for (const c of COMMANDS) {
      expect(generalHelp()).toContain(`  ${c.name} `);
      expect(generalHelp()).toContain(c.summary);
      expect(commandHelp(c)).toContain(`Usage: latchkey ${c.name}${c.args ? ` ${c.args}` : ''} [--help]`);
      expect(commandHelp(c)).toContain(c.help);
    }
  });

  it('picks the longest matching name, so subcommands (keys create) are one list entry each', () => {
    const commands = [stub('keys'), stub('keys create'), stub('keys list'), stub('start')];
    expect(findCommand(['keys', 'create', 'ci'], commands)).toEqual({ command: commands[1], args: ['ci'] });
    expect(findCommand(['keys', 'list'], commands)?.command.name).toBe('keys list');
    expect(findCommand(['keys', 'other'], commands)).toEqual({ command: commands[0], args: ['other'] });
    expect(findCommand(['start', '--help'], commands)).toEqual({ command: commands[3], args: ['--help'] });
    expect(findCommand(['serve'], commands)).toBeNull();
    expect(generalHelp(commands)).toMatch(/ {2}keys create {3}does keys create/);
  });
});

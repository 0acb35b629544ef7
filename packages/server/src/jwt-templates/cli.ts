/**
 * `latchkey jwt-templates list | get | create | update | delete`: a thin layer over JwtTemplates
 * that parses flags, calls the service and prints its answer as JSON.
 */
import { parseArgs } from 'node:util';
import { LatchkeyError } from '../errors/index.js';
import type { JwtTemplates } from './service.js';

export const JWT_TEMPLATES_USAGE = `Usage:
  latchkey jwt-templates list
  latchkey jwt-templates get <name>
  latchkey jwt-templates create <name> --claims '<json>' [--lifetime <s>] [--clock-skew <s>] [--hs256 [--signing-key <secret>]]
  latchkey jwt-templates update <name> [--claims '<json>'] [--lifetime <s>] [--clock-skew <s>]
  latchkey jwt-templates delete <name>`;

class UsageError extends Error {}

function templateInput(values: { claims?: string; lifetime?: string; 'clock-skew'?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (values.claims !== undefined) {
    try {
      out.claims = JSON.parse(values.claims);
    } catch {
      throw new UsageError('--claims must be JSON, e.g. --claims \'{"aud":"convex"}\'.');
    }
  }
  // Left as text when not a number, so the service names the parameter at fault.
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : s);
  if (values.lifetime !== undefined) out.lifetime = num(values.lifetime);
  if (values['clock-skew'] !== undefined) out.allowed_clock_skew = num(values['clock-skew']);
  return out;
}

/** Runs the command; returns the exit code. `print` writes one result, `fail` one error. */
export async function jwtTemplatesCommand(args: string[], templates: JwtTemplates, print: (s: string) => void, fail: (s: string) => void): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { claims: { type: 'string' }, lifetime: { type: 'string' }, 'clock-skew': { type: 'string' }, hs256: { type: 'boolean' }, 'signing-key': { type: 'string' } },
    });
    const [action, name, ...rest] = positionals;
    if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}".`);
    const needName = () => {
      if (!name) throw new UsageError(`"${action}" needs a template name.`);
      return name;
    };
    const show = (v: unknown) => print(JSON.stringify(v, null, 2));
    switch (action) {
      case 'list':
        show(await templates.list());
        return 0;
      case 'get':
        show(await templates.get(needName()));
        return 0;
      case 'create': {
        const made = await templates.create({
          name: needName(),
          ...templateInput(values),
          ...(values.hs256 ? { signing_algorithm: 'HS256' } : {}),
          ...(values['signing-key'] !== undefined ? { signing_key: values['signing-key'] } : {}),
        });
        show(made.template);
        if (made.signingKey) print(`HS256 signing key (shown once; give it to the service that verifies these tokens): ${made.signingKey}`);
        return 0;
      }
      case 'update':
        show(await templates.update(needName(), templateInput(values)));
        return 0;
      case 'delete':
        show(await templates.delete(needName()));
        return 0;
      default:
        throw new UsageError(action ? `Unknown action "${action}".` : 'Name an action.');
    }
  } catch (err) {
    if (err instanceof LatchkeyError) {
      fail(`${err.longMessage} [${err.code}${err.meta.param_name ? `, ${err.meta.param_name}` : ''}]`);
      return 1;
    }
    // parseArgs throws TypeErrors with a code for unknown flags and missing values.
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err)) {
      fail(`${err.message}\n${JWT_TEMPLATES_USAGE}`);
      return 2;
    }
    throw err;
  }
}

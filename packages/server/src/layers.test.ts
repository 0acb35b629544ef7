/**
 * The layer rules of .dependency-cruiser.cjs (run on the real tree by `npm run lint:layers`), held
 * against a small fixture tree that breaks each rule once and keeps each allowed exception once, so
 * a rule that stops matching (a typo in a path pattern) fails here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
interface Known {
  rule: string;
  from: string;
  to: string;
}
const config = require('../../../.dependency-cruiser.cjs') as {
  forbidden: unknown[];
  options: Record<string, unknown>;
  KNOWN: Known[];
  rules: unknown[];
  withKnownViolations(rules: unknown[], known: Known[]): unknown[];
};
const REPO = path.resolve(import.meta.dirname, '../../..');

/** `rule: from → to` for each violation, paths under packages/server/src/. */
async function violations(baseDir: string, forbidden: unknown[]): Promise<string[]> {
  const result = await cruise(['packages/server/src'], {
    ...config.options,
    ruleSet: { forbidden },
    validate: true,
    baseDir,
    outputType: 'json',
  } as never);
  const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as ICruiseResult;
  const short = (p: string) => p.replace('packages/server/src/', '');
  return output.summary.violations.map((v) => `${v.rule.name}: ${short(v.from)} → ${short(v.to)}`);
}

/** file → the imports it makes (`type:` prefix for a type-only import). */
const FIXTURE: Record<string, string[]> = {
  'app.ts': ['adapters/node/index.ts', 'fapi/routes.ts', 'store/db.ts'], // composition root: anything
  'adapters/node/index.ts': ['http/runtime.ts', 'sign-up/service.ts', 'store/db.ts', 'node:http'],
  'http/runtime.ts': ['errors/index.ts'],
  'fapi/routes.ts': ['sign-in/service.ts', 'type:store/schema.ts', 'store/schema.ts', 'store/db.ts', 'sessions/tokens.ts', 'adapters/node/index.ts'],
  'fapi/context.ts': ['store/prepared.ts', 'store/db.ts'], // the first is made a known violation below, the second is not
  'middleware/cors/index.ts': ['node:http', 'domains/index.ts'],
  'bapi/users.ts': ['sessions/jwt.ts'],
  'sign-in/service.ts': ['store/signins.ts', 'webauthn/verify.ts', 'fapi/context.ts', 'adapters/node/index.ts', 'sessions/sessions.ts'],
  'sign-up/service.ts': [],
  'sessions/sessions.ts': ['store/sessions.ts'],
  'sessions/tokens.ts': [],
  'sessions/jwt.ts': [],
  'settings/service.ts': ['settings/schema.ts', 'store/settings.ts', 'middleware/cors/index.ts'],
  'settings/schema.ts': ['domains/rules.ts', 'errors/index.ts', 'settings/service.ts'],
  'webauthn/verify.ts': ['errors/index.ts', 'audit/index.ts', 'type:store/schema.ts', 'store/prepared.ts'],
  'domains/index.ts': ['domains/rules.ts', 'sign-in/service.ts'],
  'domains/rules.ts': [],
  'errors/index.ts': [],
  'audit/index.ts': ['store/prepared.ts'],
  'util/a.ts': ['util/b.ts'],
  'util/b.ts': ['util/a.ts'],
  'store/db.ts': ['store/schema.ts', 'util/a.ts'],
  'store/schema.ts': [],
  'store/prepared.ts': [],
  'store/signins.ts': ['sign-in/service.ts'],
  'store/sessions.ts': [],
  'store/settings.ts': ['fapi/routes.ts'],
};

/** The import cycles of the fixture; dependency-cruiser names one edge of each. */
const CYCLES = [
  ['settings/schema.ts', 'settings/service.ts'],
  ['sign-in/service.ts', 'store/signins.ts'],
  ['util/a.ts', 'util/b.ts'],
];

/** Every other violation the fixture must produce, as `rule: from → to` (paths under src/). */
const EXPECTED = [
  'adapters-no-flows-or-store: adapters/node/index.ts → sign-up/service.ts',
  'adapters-no-flows-or-store: adapters/node/index.ts → store/db.ts',
  'flows-no-http-or-adapters: settings/service.ts → middleware/cors/index.ts',
  'flows-no-http-or-adapters: sign-in/service.ts → adapters/node/index.ts',
  'flows-no-http-or-adapters: sign-in/service.ts → fapi/context.ts',
  'http-no-adapters: fapi/routes.ts → adapters/node/index.ts',
  'http-no-minting: bapi/users.ts → sessions/jwt.ts',
  'http-no-minting: fapi/routes.ts → sessions/tokens.ts',
  'http-no-store: fapi/context.ts → store/db.ts',
  'http-no-store: fapi/routes.ts → store/db.ts',
  'http-no-store: fapi/routes.ts → store/schema.ts', // a value import of the schema
  'node-only-in-adapters: middleware/cors/index.ts → http', // node:http, as resolved
  'rules-pure: domains/index.ts → sign-in/service.ts',
  'rules-pure: settings/schema.ts → settings/service.ts',
  'rules-pure: webauthn/verify.ts → audit/index.ts',
  'rules-pure: webauthn/verify.ts → store/prepared.ts',
  'store-no-upper-layers: store/settings.ts → fapi/routes.ts',
  'store-no-upper-layers: store/signins.ts → sign-in/service.ts',
  'webauthn-no-errors-or-audit: webauthn/verify.ts → audit/index.ts',
  'webauthn-no-errors-or-audit: webauthn/verify.ts → errors/index.ts',
];

describe('layer rules', () => {
  let dir: string;
  let found: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-layers-'));
    const src = path.join(dir, 'packages/server/src');
    for (const [file, imports] of Object.entries(FIXTURE)) {
      fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
      const lines = imports.map((target, i) => {
        if (target.startsWith('node:')) return `import * as m${i} from '${target}';`;
        const typeOnly = target.startsWith('type:');
        const rel = path.relative(path.dirname(file), typeOnly ? target.slice(5) : target).replace(/\.ts$/, '.js');
        const spec = rel.startsWith('.') ? rel : `./${rel}`;
        return typeOnly ? `import type * as t${i} from '${spec}';` : `import * as m${i} from '${spec}';`;
      });
      fs.writeFileSync(path.join(src, file), `${lines.join('\n')}\nexport const x = 1;\n`);
    }
    const known = [{ rule: 'http-no-store', from: 'fapi/context.ts', to: 'store/prepared.ts' }];
    found = await violations(dir, config.withKnownViolations(config.rules, known));
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports each broken rule, by name, and nothing else', () => {
    expect(found.filter((v) => !v.startsWith('no-cycles:')).sort()).toEqual([...EXPECTED].sort());
  });

  it('reports each import cycle, and no other', () => {
    const cycles = found.filter((v) => v.startsWith('no-cycles:')).map((v) => v.slice('no-cycles: '.length).split(' → ').sort().join(' ↔ '));
    expect([...new Set(cycles)].sort()).toEqual(CYCLES.map((pair) => [...pair].sort().join(' ↔ ')).sort());
  });

  it('lets known violations through, and only those', () => {
    expect(found).not.toContain('http-no-store: fapi/context.ts → store/prepared.ts');
    expect(found).toContain('http-no-store: fapi/context.ts → store/db.ts');
  });

  it('allows type-only imports of store/schema.ts from HTTP and rules, and anything from the composition root', () => {
    expect(found.filter((v) => v.startsWith('rules-pure: webauthn/verify.ts → store/schema.ts'))).toEqual([]);
    expect(found.filter((v) => v.includes(': app.ts'))).toEqual([]);
  });
});

describe('the known violations of .dependency-cruiser.cjs', () => {
  it('are each still a violation in the real tree (the list only shrinks)', async () => {
    if (config.KNOWN.length === 0) return; // nothing to hold; spares a cruise of the whole tree
    const all = await violations(REPO, config.withKnownViolations(config.rules, []));
    for (const k of config.KNOWN) expect(all).toContain(`${k.rule}: ${k.from} → ${k.to}`);
  }, 60_000);
});

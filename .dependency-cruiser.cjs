/**
 * The layer rules of packages/server/src (DESIGN.md § Layout; docs/architecture.md § Layer rules),
 * checked by dependency-cruiser in `npm test` before vitest (`npm run lint:layers`).
 *
 * Layers, top to bottom; each may import only those below it:
 *   composition root   app.ts server.ts cli.ts cli/ run.ts index.ts deps.ts (anything)
 *   adapters           adapters/**                                        not flows, not store
 *   HTTP               http/ fapi/ bapi/ openapi/ dashboard/ portal/ middleware/  not store (but type-only
 *                                                                          store/schema.ts), not the
 *                                                                          token minting modules, not adapters
 *   flows              sign-in/ sign-up/ passkeys/ sessions/ users/ clients/ admin/ audit/
 *                      secret-keys/ sweep/ webhooks/ outbox/ email/ recovery/ settings/service.ts
 *                                                                          not HTTP, not adapters
 *   rules (pure)       webauthn/ domains/ errors/ util/ config/ startup/ settings/schema.ts
 *                                                                          not flows, HTTP, adapters,
 *                                                                          store (but type-only store/schema.ts);
 *                                                                          webauthn/ not errors/ or audit/
 *   store              store/                                             not flows, HTTP, adapters
 * and no import cycles anywhere. Folders that do not exist yet simply match nothing.
 * Tests (*.test.ts) are not part of any layer: they may reach across to set things up.
 */
const S = '^packages/server/src/';
const ADAPTERS = `${S}adapters/`;
const HTTP = `${S}(http|fapi|bapi|openapi|dashboard|portal|middleware)/`;
const FLOWS = `${S}((sign-in|sign-up|passkeys|sessions|users|clients|admin|audit|secret-keys|sweep|webhooks|outbox|email|recovery)/|settings/service\\.ts$)`;
const RULES = `${S}((webauthn|domains|errors|util|config|startup)/|settings/schema\\.ts$)`;
const STORE = `${S}store/`;
const STORE_SCHEMA = `${S}store/schema\\.ts$`;
const MINTING = `${S}sessions/(tokens|keys|jwt)\\.ts$`;
const NODE_ONLY = '^(node:)?(http|https|http2)$|(^|node_modules/)@hono/node-server(/|$)';

/**
 * Known violations: imports that break a rule today and that the store-and-flows refactor
 * (issue 8) removes. Each entry lets exactly one import through one rule; anything else from the
 * same file still fails. Empty this list as the code moves; never add to it to make a new import pass.
 */
const KNOWN = [
  // None left: the store-and-flows refactor (issue 8) removed the last ones (fapi/ querying the
  // store, webauthn/ storing challenges, auditing and picking HTTP errors). An entry reads:
  // { rule: 'http-no-store', from: 'fapi/context.ts', to: 'store/prepared.ts', why: '…' },
];

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const rules = [
  {
    name: 'no-cycles',
    comment: 'No import cycles in packages/server/src: a cycle hides which module is the lower layer.',
    from: { path: S },
    to: { circular: true },
  },
  {
    name: 'node-only-in-adapters',
    comment: 'Routes and middleware are Web-standard: node:http and @hono/node-server only inside adapters/.',
    from: { path: S, pathNot: ADAPTERS },
    to: { path: NODE_ONLY },
  },
  {
    name: 'adapters-no-flows-or-store',
    comment: 'Adapters hold runtime plumbing only (body, peer address, serving), no business rules or data.',
    from: { path: ADAPTERS },
    to: { path: [FLOWS, STORE] },
  },
  {
    name: 'http-no-store',
    comment: 'HTTP code calls flows and presents what they return; it never queries (type-only store/schema.ts is fine).',
    from: { path: HTTP },
    to: { path: STORE, pathNot: STORE_SCHEMA },
  },
  {
    name: 'http-no-store',
    comment: 'HTTP code may use the row types of store/schema.ts, as type-only imports.',
    from: { path: HTTP },
    to: { path: STORE_SCHEMA, dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'http-no-minting',
    comment: 'Session tokens are minted by flows (sessions/), never by a route or presenter.',
    from: { path: HTTP },
    to: { path: MINTING },
  },
  {
    name: 'http-no-adapters',
    comment: 'HTTP code sees the runtime only through the RuntimeAdapter interface (http/runtime.ts).',
    from: { path: HTTP },
    to: { path: ADAPTERS },
  },
  {
    name: 'flows-no-http-or-adapters',
    comment: 'Flows return results and snapshots; they know no statuses, headers or runtime.',
    from: { path: FLOWS },
    to: { path: [HTTP, ADAPTERS] },
  },
  {
    name: 'rules-pure',
    comment: 'Pure rules do no I/O: no flows, HTTP, adapters or store (type-only store/schema.ts is fine).',
    from: { path: RULES },
    to: { path: [FLOWS, HTTP, ADAPTERS, STORE], pathNot: STORE_SCHEMA },
  },
  {
    name: 'rules-pure',
    comment: 'Pure rules may use the row types of store/schema.ts, as type-only imports.',
    from: { path: RULES },
    to: { path: STORE_SCHEMA, dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'webauthn-no-errors-or-audit',
    comment: 'webauthn/ parses and verifies; it throws its own parse/policy errors, and the flow decides what to record and answer.',
    from: { path: `${S}webauthn/` },
    to: { path: `${S}(errors|audit)/` },
  },
  {
    name: 'store-no-upper-layers',
    comment: 'The store knows tables, not flows, HTTP or runtimes.',
    from: { path: STORE },
    to: { path: [FLOWS, HTTP, ADAPTERS] },
  },
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Applies KNOWN: a rule's files with known violations leave the rule, and come back under a copy
 * of it (same name) that excepts only their listed targets.
 */
function withKnownViolations(list, knownList) {
  const out = [];
  for (const rule of list) {
    const known = knownList.filter((k) => k.rule === rule.name);
    const froms = [...new Set(known.map((k) => k.from))];
    if (froms.length === 0) {
      out.push({ severity: 'error', ...rule });
      continue;
    }
    const fromPathNot = froms.map((f) => `${S}${escape(f)}$`);
    out.push({ severity: 'error', ...rule, from: { ...rule.from, pathNot: [...[rule.from.pathNot ?? []].flat(), ...fromPathNot] } });
    for (const f of froms) {
      const allowed = known.filter((k) => k.from === f).map((k) => `${S}${escape(k.to)}$`);
      out.push({
        severity: 'error',
        ...rule,
        comment: `${rule.comment} (known violation allowed: ${f})`,
        from: { path: `${S}${escape(f)}$` },
        to: { ...rule.to, pathNot: [...[rule.to.pathNot ?? []].flat(), ...allowed] },
      });
    }
  }
  return out;
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: withKnownViolations(rules, KNOWN),
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$' },
    // Type-only imports are seen (and marked), so the store/schema.ts exception can tell them apart.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};

// For layers.test.ts: the list and the rules before it is applied. Not enumerable, because
// dependency-cruiser refuses a configuration with properties it does not know.
Object.defineProperties(module.exports, {
  KNOWN: { value: KNOWN },
  rules: { value: rules },
  withKnownViolations: { value: withKnownViolations },
});

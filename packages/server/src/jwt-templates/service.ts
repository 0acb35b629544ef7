/**
 * Managing JWT templates and minting their tokens. Every entry point takes plain input and
 * answers plain objects, so the CLI today and the backend API's routes later (issue 11) are thin
 * layers over it: parse, call, print or present. Input names follow Clerk's backend API
 * (`name`, `claims`, `lifetime`, `allowed_clock_skew`, `signing_algorithm`, `signing_key`).
 */
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { fail, type LatchkeyError } from '../errors/index.js';
import { deleteTemplate, insertTemplate, listTemplates, templateByName, updateTemplate } from '../store/jwt-templates.js';
import type { JwtTemplateRow, SessionRow } from '../store/schema.js';
import { userClaimData } from '../store/user-claim-data.js';
import { newId } from '../util/ids.js';
import { randomBase64url } from '../util/random.js';
import { claimsProblem } from './claims.js';
import { signTemplateToken, templateClaims } from './mint.js';

/** A template's name is a URL path segment (`…/tokens/{name}`). */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** A shared secret shorter than this is guessable offline from one token. */
const MIN_HS256_KEY = 32;

const input = z.object({
  name: z.string().regex(NAME, 'Names are 1–64 letters, digits, "_" or "-".'),
  claims: z.unknown().refine((c) => claimsProblem(c) === null, { message: 'invalid claims' }),
  lifetime: z.number().int().min(30).max(315_360_000).default(60),
  allowed_clock_skew: z.number().int().min(0).max(300).default(5),
  signing_algorithm: z.enum(['instance', 'HS256']).default('instance'),
  signing_key: z.string().min(MIN_HS256_KEY, `HS256 keys are at least ${MIN_HS256_KEY} characters.`).max(512).optional(),
});
export type JwtTemplateInput = z.input<typeof input>;

function invalid(err: z.ZodError, raw: Record<string, unknown>): LatchkeyError {
  const issue = err.issues[0]!;
  const param = String(issue.path[0] ?? 'claims');
  if (param === 'claims') return fail('form_param_format_invalid', { param: 'claims', why: claimsProblem(raw.claims) ?? issue.message });
  return fail('form_param_format_invalid', { param, why: issue.message });
}

const notFound = (name: string) => fail('resource_not_found', { subject: 'JWT template', why: `No JWT template is named "${name}".` });

/** The template as the API and CLI show it: never the HS256 secret. */
export function jwtTemplateJson(t: JwtTemplateRow, instanceAlg: string) {
  return {
    object: 'jwt_template',
    id: t.id,
    name: t.name,
    claims: JSON.parse(t.claims) as Record<string, unknown>,
    lifetime: t.lifetime_seconds,
    allowed_clock_skew: t.allowed_clock_skew_seconds,
    custom_signing_key: t.signing_algorithm === 'HS256',
    signing_algorithm: t.signing_algorithm === 'HS256' ? 'HS256' : instanceAlg,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}
export type JwtTemplateJson = ReturnType<typeof jwtTemplateJson>;

export class JwtTemplates {
  constructor(private readonly deps: Pick<Deps, 'store' | 'clock' | 'keys' | 'config'>) {}

  private async instanceAlg(): Promise<string> {
    return (await this.deps.keys.current()).alg;
  }

  /**
   * Creates a template. For HS256 without a `signing_key`, one is generated and returned here,
   * once: give it to the service that verifies the tokens.
   */
  async create(raw: Record<string, unknown>): Promise<{ template: JwtTemplateJson; signingKey?: string }> {
    const parsed = input.safeParse(raw);
    if (!parsed.success) throw invalid(parsed.error, raw);
    const p = parsed.data;
    if (p.signing_key && p.signing_algorithm !== 'HS256') throw fail('form_param_format_invalid', { param: 'signing_key', why: 'A signing key is only used with signing_algorithm HS256.' });
    const generated = p.signing_algorithm === 'HS256' && !p.signing_key ? randomBase64url(32) : undefined;
    const now = this.deps.clock.now();
    const row: JwtTemplateRow = {
      id: newId('jtmp'),
      name: p.name,
      claims: JSON.stringify(p.claims),
      lifetime_seconds: p.lifetime,
      allowed_clock_skew_seconds: p.allowed_clock_skew,
      signing_algorithm: p.signing_algorithm,
      signing_key: p.signing_algorithm === 'HS256' ? (p.signing_key ?? generated!) : null,
      created_at: now,
      updated_at: now,
    };
    if (await templateByName(this.deps.store.db, p.name)) throw exists(p.name);
    try {
      await insertTemplate(this.deps.store.db, row);
    } catch (err) {
      // Two creates racing on one name: the unique index decides.
      if (await templateByName(this.deps.store.db, p.name)) throw exists(p.name);
      throw err;
    }
    return { template: jwtTemplateJson(row, await this.instanceAlg()), ...(generated ? { signingKey: generated } : {}) };
  }

  async list(): Promise<JwtTemplateJson[]> {
    const alg = await this.instanceAlg();
    return (await listTemplates(this.deps.store.db)).map((t) => jwtTemplateJson(t, alg));
  }

  async get(name: string): Promise<JwtTemplateJson> {
    return jwtTemplateJson(await this.row(name), await this.instanceAlg());
  }

  /** Changes claims, lifetime or clock skew (the name and signing set-up stay). */
  async update(name: string, raw: Record<string, unknown>): Promise<JwtTemplateJson> {
    const current = await this.row(name);
    const patch = input.pick({ claims: true, lifetime: true, allowed_clock_skew: true }).partial().safeParse(raw);
    if (!patch.success) throw invalid(patch.error, raw);
    const changes = {
      ...(patch.data.claims !== undefined ? { claims: JSON.stringify(patch.data.claims) } : {}),
      ...(patch.data.lifetime !== undefined ? { lifetime_seconds: patch.data.lifetime } : {}),
      ...(patch.data.allowed_clock_skew !== undefined ? { allowed_clock_skew_seconds: patch.data.allowed_clock_skew } : {}),
      updated_at: this.deps.clock.now(),
    };
    if (!(await updateTemplate(this.deps.store.db, name, changes))) throw notFound(name);
    return jwtTemplateJson({ ...current, ...changes }, await this.instanceAlg());
  }

  async delete(name: string): Promise<{ object: 'jwt_template'; name: string; deleted: true }> {
    if (!(await deleteTemplate(this.deps.store.db, name))) throw notFound(name);
    return { object: 'jwt_template', name, deleted: true };
  }

  /** A token from template `name` for the live session `session` (the caller checked it). */
  async mint(name: string, session: SessionRow, azp: string | null, nowMs: number): Promise<string> {
    const template = await this.row(name);
    const user = await userClaimData(this.deps.store.db, session.user_id);
    const claims = templateClaims({ template, user, azp, issuer: this.deps.config.publicUrl, nowMs });
    return signTemplateToken(template, claims, await this.deps.keys.current());
  }

  private async row(name: string): Promise<JwtTemplateRow> {
    const row = NAME.test(name) ? await templateByName(this.deps.store.db, name) : undefined;
    if (!row) throw notFound(name);
    return row;
  }
}

const exists = (name: string) => fail('jwt_template_exists', { param: 'name', why: `A JWT template named "${name}" already exists.` });

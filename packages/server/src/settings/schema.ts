/**
 * Instance settings (what the dashboard edits): their shape, defaults, and the rules a value must
 * meet before it is stored. Pure: no database, no clock. The service beside it (service.ts) reads
 * and writes them.
 *
 * Domains, RP IDs and origins follow the same rules as the environment variables that can pin them
 * (domains/rules.ts). A refused value is a `form_param_format_invalid` (422) whose
 * `meta.param_name` is the setting's snake_case name (`allowed_origins`), the name the backend API
 * and dashboard use on the wire.
 */
import { z } from 'zod';
import { hostnameProblem, originProblem, rpIdDomainProblem } from '../domains/rules.js';
import { fail } from '../errors/index.js';

/**
 * A theme colour: `#` and six hex digits, nothing else. The portal puts it into CSS custom
 * properties; a free-form value (`url(https://tracker.example/…)`, `var(…)`) would let whoever
 * edits settings make every visitor's browser fetch from elsewhere.
 */
const hexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour in the form #4f46e5 (# and six hex digits)')
  .nullable();

/** The shape and ranges of each setting; domain rules are checked by `settingsProblems`. */
export const settingsSchema = z.object({
  passkeysEnabled: z.boolean(),
  allowAutofill: z.boolean(),
  showSignInButton: z.boolean(),
  userVerification: z.enum(['required', 'preferred']),
  maxPasskeysPerUser: z.number().int().min(1).max(100),
  sessionIdleSeconds: z.number().int().min(60),
  sessionMaxSeconds: z.number().int().min(60),
  /** At least 30: the SDK renews a token 10 s before it expires, so shorter ones churn. */
  tokenSeconds: z.number().int().min(30).max(3600),
  domain: z.string().nullable(),
  rpId: z.string().nullable(),
  /** Trust every https subdomain of `domain`. Switch off when a subdomain serves untrusted content. */
  allowSubdomains: z.boolean(),
  allowedOrigins: z.array(z.string()),
  relatedOrigins: z.array(z.string()),
  applicationName: z.string().min(1).max(64),
  /** The account portal's buttons, links and focus rings; null keeps the components' default. */
  brandColor: hexColor,
  /** The account portal's page background; null keeps the default. */
  backgroundColor: hexColor,
  /** Audit events older than this are deleted by the sweep (sweep/). */
  auditRetentionDays: z.number().int().min(1).max(3650),
  /** Several accounts signed in at once in one browser. Off by default, as on Clerk: a sign-in while signed in is refused. */
  multiSession: z.boolean(),
  /** `required`: a sign-up that gives an email address proves it with a code before its passkey. */
  emailVerification: z.enum(['required', 'off']),
  /** Sign in with a code emailed to a verified address (a recovery path; see docs/recovery.md). */
  emailCodeSignIn: z.boolean(),
  /** Email the user when they sign in from a browser (client) they never signed in from before. */
  newDeviceNotice: z.boolean(),
  /** Ten single-use recovery codes per user, and sign-in with `strategy=recovery_code` (docs/recovery.md). */
  recoveryCodes: z.boolean(),
});

export type InstanceSettings = z.infer<typeof settingsSchema>;

export const defaultSettings: InstanceSettings = {
  passkeysEnabled: true,
  allowAutofill: true,
  showSignInButton: true,
  userVerification: 'required',
  maxPasskeysPerUser: 10,
  sessionIdleSeconds: 7 * 24 * 3600,
  sessionMaxSeconds: 30 * 24 * 3600,
  tokenSeconds: 60,
  domain: null,
  rpId: null,
  allowSubdomains: true,
  allowedOrigins: [],
  relatedOrigins: [],
  applicationName: 'Latchkey',
  brandColor: null,
  backgroundColor: null,
  auditRetentionDays: 90,
  multiSession: false,
  // Off by default so existing instances keep working without SMTP; see docs/recovery.md.
  emailVerification: 'off',
  // Off: the mailbox becomes a way into the account only when the operator chooses so.
  emailCodeSignIn: false,
  newDeviceNotice: false,
  // Off by default: each code is a way into the account that bypasses the passkey, so an operator
  // opts in (docs/recovery.md, "Recovery codes").
  recoveryCodes: false,
};

export interface SettingsProblem {
  /** The setting at fault, in snake_case (`allowed_origins`). */
  param: string;
  /** What is wrong, naming the entry for lists (`allowed_origins[1] "…" must be …`). */
  problem: string;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

/** Every problem of a complete candidate, in field order; empty when it may be stored. */
export function settingsProblems(candidate: unknown): SettingsProblem[] {
  const parsed = settingsSchema.safeParse(candidate);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => {
      const [key, index] = i.path;
      const param = snake(String(key ?? 'settings'));
      return { param, problem: `${typeof index === 'number' ? `${param}[${index}]` : param}: ${i.message}` };
    });
  }
  const s = parsed.data;
  const problems: SettingsProblem[] = [];
  const host = (key: 'domain' | 'rpId', value: string | null) => {
    const p = value === null ? null : hostnameProblem(value);
    if (p) problems.push({ param: snake(key), problem: `${snake(key)} "${value}" ${p}` });
  };
  host('domain', s.domain);
  host('rpId', s.rpId);
  for (const key of ['allowedOrigins', 'relatedOrigins'] as const) {
    s[key].forEach((origin, i) => {
      const p = originProblem(origin);
      if (p) problems.push({ param: snake(key), problem: `${snake(key)}[${i}] "${origin}" ${p}` });
    });
  }
  // Cross-field: only once both values are well-formed, so one mistake gives one message.
  if (s.domain && s.rpId && problems.length === 0) {
    const p = rpIdDomainProblem(s.rpId, s.domain);
    if (p) problems.push({ param: 'rp_id', problem: `rp_id "${s.rpId}" ${p}` });
  }
  // sessionIdleSeconds above sessionMaxSeconds is allowed on purpose: it only means the idle limit
  // never fires first, and refusing it would make lowering the absolute lifetime a two-step change.
  return problems;
}

/** The candidate as settings, or a 422 `form_param_format_invalid` naming the first bad setting. */
export function validateSettings(candidate: unknown): InstanceSettings {
  const [first] = settingsProblems(candidate);
  if (first) {
    throw fail('form_param_format_invalid', { param: first.param, why: first.problem });
  }
  return settingsSchema.parse(candidate);
}

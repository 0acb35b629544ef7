import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import type { InstanceSettings } from '../settings/index.js';

/** The gate of every recovery-code endpoint: the instance setting `recoveryCodes` (off by default). */
export async function requireRecoveryCodes(deps: Deps): Promise<InstanceSettings> {
  const settings = await deps.settings.get();
  if (!settings.recoveryCodes) throw fail('feature_not_enabled', { why: 'Recovery codes are switched off for this instance; an administrator can switch them on.' });
  return settings;
}

import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import type { InstanceSettings } from '../settings/index.js';

/**
 * The gate of every passkey endpoint: passkeys must be switched on (`feature_not_enabled`
 * otherwise, with stored passkeys kept), and a `strategy`, where the endpoint takes one, must be
 * "passkey". Returns the settings the caller goes on with.
 */
export async function requirePasskeys(deps: Deps, strategy?: string): Promise<InstanceSettings> {
  const settings = await deps.settings.get();
  if (!settings.passkeysEnabled) throw fail('feature_not_enabled');
  if (strategy !== undefined && strategy !== 'passkey') throw fail('form_param_format_invalid', { param: 'strategy', why: 'Use strategy "passkey".' });
  return settings;
}

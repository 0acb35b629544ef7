import type { Deps } from '../deps.js';
import { errors } from '../errors/index.js';
import type { InstanceSettings } from '../settings/index.js';

/**
 * The gate of every passkey endpoint: passkeys must be switched on (`feature_not_enabled`
 * otherwise, with stored passkeys kept), and a `strategy`, where the endpoint takes one, must be
 * "passkey". Returns the settings the caller goes on with.
 */
export async function requirePasskeys(deps: Deps, strategy?: string): Promise<InstanceSettings> {
  const settings = await deps.settings.get();
  if (!settings.passkeysEnabled) throw errors.featureDisabled();
  if (strategy !== undefined && strategy !== 'passkey') throw errors.paramInvalid('strategy', 'Use strategy "passkey".');
  return settings;
}

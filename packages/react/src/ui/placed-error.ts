import { describeError, errorMessage } from '../components/error-message.js';
import type { LocalizationResource } from './localization.js';

/** Where an error belongs: on the field the API named, or (cancel, deleted passkey, rate limit, …) on the whole form. */
export interface PlacedError {
  field: string | null;
  message: string;
}

/**
 * `fields` maps API parameter names to the form's field keys. Only an error that names one of
 * this form's fields goes on a field: a cancelled prompt has nothing to do with the username.
 */
export function placeError(err: unknown, fields: Record<string, string>, l: LocalizationResource): PlacedError {
  const { param } = describeError(err);
  const field = param && Object.hasOwn(fields, param) ? fields[param]! : null;
  return { field, message: errorMessage(err, l.errors) };
}

import type { ApiError } from './errors';

interface Translator {
  t(key: string, named?: Record<string, unknown>): string;
  te(key: string): boolean;
}

// Codes whose server message carries the detail the user needs (which field, which duplicate).
const DETAILED = new Set(['validation', 'conflict']);

/** A user-facing sentence for an API error, in the current language. */
export function describeError(error: ApiError, i18n: Translator): string {
  const key = `errors.${error.code}`;
  if (!i18n.te(key)) return error.message || i18n.t('errors.unknown');
  const text = i18n.t(key);
  return DETAILED.has(error.code) && error.message ? `${text}: ${error.message}` : text;
}

import type { FormItemRule } from 'element-plus';

type T = (key: string, named?: Record<string, unknown>) => string;

// Client-side checks mirror the server's schemas so most mistakes are caught before a round trip;
// the server stays the authority and its 400 message is shown when they disagree.
export const rules = {
  required: (t: T): FormItemRule => ({ required: true, whitespace: true, message: t('common.required'), trigger: ['blur', 'change'] }),
  max: (t: T, max: number): FormItemRule => ({ max, message: t('common.tooLong', { max }), trigger: 'blur' }),
  /** No markup or control characters, like the server's SafeText. */
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  safeText: (t: T): FormItemRule => ({ pattern: /^[^<>\u0000-\u001f\u007f]*$/, message: t('common.safeText'), trigger: 'blur' }),
  pattern: (pattern: RegExp, message: string): FormItemRule => ({ pattern, message, trigger: 'blur' }),
};

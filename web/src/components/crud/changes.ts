/**
 * The fields of `next` that differ from `before`: a PATCH sends only these, so the audit log
 * names what really changed and side effects tied to a field (a role change ends the user's
 * sessions) happen only when it changed.
 */
export function changedFields<T extends object>(before: Partial<T>, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (next[key] !== undefined && next[key] !== before[key]) out[key] = next[key];
  }
  return out;
}

/** Optional text fields: an empty input means "none" (null), not an empty string. */
export function orNull(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

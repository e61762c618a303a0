// Builds the message tree: the shell's own files plus every feature's `locales/<locale>.json`,
// the latter namespaced by the feature's folder name (features/admin → `admin.*`), so features
// never collide and no central file needs editing when one is added.
import type { Locale } from '../api/types';

export type MessageTree = { [key: string]: string | MessageTree };

/** `glob` maps file paths to parsed JSON, as `import.meta.glob(..., { eager: true, import: 'default' })` returns. */
export function buildMessages(shell: Record<string, MessageTree>, features: Record<string, MessageTree>): Record<Locale, MessageTree> {
  const out: Record<string, MessageTree> = {};
  for (const [path, tree] of Object.entries(shell)) {
    const locale = localeOf(path);
    out[locale] = { ...(out[locale] ?? {}), ...tree };
  }
  for (const [path, tree] of Object.entries(features)) {
    const m = /features\/([^/]+)\/locales\/([^/]+)\.json$/.exec(path);
    if (!m) throw new Error(`unexpected feature locale file: ${path}`);
    const [, feature, locale] = m;
    const target = (out[locale] ??= {});
    if (feature in target) throw new Error(`feature "${feature}" collides with a shell message key`);
    target[feature] = tree;
  }
  return out as Record<Locale, MessageTree>;
}

function localeOf(path: string): string {
  const m = /([^/]+)\.json$/.exec(path);
  if (!m) throw new Error(`unexpected locale file: ${path}`);
  return m[1];
}

/** Dotted paths of every leaf, for comparing locales. */
export function leafKeys(tree: MessageTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : leafKeys(v, `${prefix}${k}.`)));
}

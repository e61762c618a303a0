import type { NavItem } from '../features/types';

export type NavEntry = { kind: 'item'; item: NavItem } | { kind: 'group'; key: string; labelKey: string; icon?: NavItem['icon']; items: NavItem[] };

/** Folds items sharing a `groupKey` into one sub-menu, placed where its first item was. */
export function groupNav(items: NavItem[]): NavEntry[] {
  const out: NavEntry[] = [];
  const groups = new Map<string, Extract<NavEntry, { kind: 'group' }>>();
  for (const item of items) {
    if (!item.groupKey) {
      out.push({ kind: 'item', item });
      continue;
    }
    let g = groups.get(item.groupKey);
    if (!g) {
      g = { kind: 'group', key: `group:${item.groupKey}`, labelKey: item.groupKey, icon: item.icon, items: [] };
      groups.set(item.groupKey, g);
      out.push(g);
    }
    g.items.push(item);
  }
  return out;
}

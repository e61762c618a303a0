/// <reference types="vite/client" />
// Collects every `features/<name>/routes.ts`: adding a feature folder is all it takes to add
// its pages, navigation and messages.
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../api/types';
import type { FeatureModule, NavItem } from './types';

export interface Registry {
  routes: RouteRecordRaw[];
  nav: NavItem[];
}

export function collectFeatures(modules: Record<string, FeatureModule>): Registry {
  const routes: RouteRecordRaw[] = [];
  const nav: NavItem[] = [];
  const keys = new Set<string>();
  for (const [file, mod] of Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))) {
    if (!Array.isArray(mod.routes) || !Array.isArray(mod.nav)) throw new Error(`${file} must export routes and nav arrays`);
    routes.push(...mod.routes);
    for (const item of mod.nav) {
      if (keys.has(item.key)) throw new Error(`duplicate nav key "${item.key}" in ${file}`);
      keys.add(item.key);
      nav.push(item);
    }
  }
  nav.sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
  return { routes, nav };
}

export function navFor(nav: NavItem[], role: Role): NavItem[] {
  return nav.filter((item) => item.roles.includes(role));
}

/** Where a role lands after login: the item that names it as home, else its first navigation item. */
export function homeFor(nav: NavItem[], role: Role): string {
  const items = navFor(nav, role);
  return (items.find((item) => item.homeOf?.includes(role)) ?? items[0])?.path ?? '/forbidden';
}

export const registry = collectFeatures(import.meta.glob<FeatureModule>('./*/routes.ts', { eager: true }));

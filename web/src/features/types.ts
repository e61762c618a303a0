import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../api/types';

/** One entry of the shell's navigation. */
export interface NavItem {
  key: string;
  path: string;
  icon?: Component;
  /** i18n key of the label, e.g. `admin.nav.users`. */
  labelKey: string;
  roles: Role[];
  /** Lower comes first; a role's home page is its first visible item, unless an item names it in `homeOf`. */
  order: number;
  /** Roles that land here after login although other items come first (estate staff: the phone queue). */
  homeOf?: Role[];
  /** i18n key of a sub-menu to group this item under (items sharing it are grouped). */
  groupKey?: string;
}

/** What `features/<name>/routes.ts` exports. */
export interface FeatureModule {
  routes: RouteRecordRaw[];
  nav: NavItem[];
}

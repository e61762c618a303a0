import { Setting } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['admin'];
const pages = [
  { key: 'users', component: () => import('./UsersPage.vue') },
  { key: 'cameras', component: () => import('./CamerasPage.vue') },
  { key: 'sites', component: () => import('./SitesPage.vue') },
  { key: 'teams', component: () => import('./TeamsPage.vue') },
];

export const routes: RouteRecordRaw[] = [
  {
    path: '/admin',
    meta: { roles },
    children: [
      { path: '', redirect: '/admin/users' },
      ...pages.map((p) => ({ path: p.key, name: `admin-${p.key}`, component: p.component, meta: { titleKey: `admin.${p.key}.title` } })),
    ],
  },
];

export const nav: NavItem[] = pages.map((p, i) => ({
  key: `admin-${p.key}`,
  path: `/admin/${p.key}`,
  icon: Setting,
  labelKey: `admin.${p.key}.nav`,
  groupKey: 'admin.nav',
  roles,
  order: 90 + i,
}));

import { Monitor } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['admin', 'operator'];

export const routes: RouteRecordRaw[] = [
  { path: '/wall', name: 'wall', component: () => import('./WallPage.vue'), meta: { roles, titleKey: 'wall.title' } },
];

export const nav: NavItem[] = [{ key: 'wall', path: '/wall', icon: Monitor, labelKey: 'wall.nav', roles, order: 10 }];

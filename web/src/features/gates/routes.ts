import { Van } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['admin', 'operator'];

export const routes: RouteRecordRaw[] = [
  { path: '/gates', name: 'gates', component: () => import('./GatesPage.vue'), meta: { roles, titleKey: 'gates.title' } },
];

export const nav: NavItem[] = [{ key: 'gates', path: '/gates', icon: Van, labelKey: 'gates.nav', roles, order: 30 }];

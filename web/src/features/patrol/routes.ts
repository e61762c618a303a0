import { Position } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['admin', 'patrol'];

export const routes: RouteRecordRaw[] = [
  { path: '/patrol', name: 'patrol', component: () => import('./PatrolPage.vue'), meta: { roles, titleKey: 'patrol.title', layout: 'mobile' } },
];

export const nav: NavItem[] = [{ key: 'patrol', path: '/patrol', icon: Position, labelKey: 'patrol.nav', roles, order: 40 }];

import { Bell } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['admin', 'operator'];

export const routes: RouteRecordRaw[] = [
  { path: '/incidents', name: 'incidents', component: () => import('./IncidentsPage.vue'), meta: { roles, titleKey: 'incidents.title' } },
];

export const nav: NavItem[] = [{ key: 'incidents', path: '/incidents', icon: Bell, labelKey: 'incidents.nav', roles, order: 20 }];

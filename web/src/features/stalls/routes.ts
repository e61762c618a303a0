import { Crop } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['admin', 'operator'];

export const routes: RouteRecordRaw[] = [
  { path: '/stalls/zones', name: 'stall-zones', component: () => import('./ZoneEditorPage.vue'), meta: { roles, titleKey: 'stalls.title' } },
];

export const nav: NavItem[] = [{ key: 'stall-zones', path: '/stalls/zones', icon: Crop, labelKey: 'stalls.nav', roles, order: 25 }];

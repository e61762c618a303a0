import { School } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['admin', 'parent'];

export const routes: RouteRecordRaw[] = [
  { path: '/parent', name: 'parent', component: () => import('./ParentPage.vue'), meta: { roles, titleKey: 'parent.title', layout: 'mobile' } },
];

export const nav: NavItem[] = [{ key: 'parent', path: '/parent', icon: School, labelKey: 'parent.nav', roles, order: 50 }];

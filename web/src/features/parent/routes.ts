import { School } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['parent'];

export const routes: RouteRecordRaw[] = [
  { path: '/parent', name: 'parent', component: () => import('./ParentPage.vue'), meta: { roles, titleKey: 'parent.title', layout: 'mobile' } },
  // Reached from the invitation link staff hand out; no session yet.
  { path: '/parent/join', name: 'parent-join', component: () => import('./JoinPage.vue'), meta: { public: true, layout: 'bare', titleKey: 'parent.join.title' } },
];

export const nav: NavItem[] = [{ key: 'parent', path: '/parent', icon: School, labelKey: 'parent.nav', roles, order: 50 }];

import { Calendar, View } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';

const roles: Role[] = ['admin', 'operator'];

export const routes: RouteRecordRaw[] = [
  { path: '/classrooms', name: 'classrooms', component: () => import('./ClassroomsPage.vue'), meta: { roles, titleKey: 'classrooms.title' } },
  { path: '/classrooms/:id', name: 'classroom', component: () => import('./ClassroomDetailPage.vue'), props: true, meta: { roles, titleKey: 'classrooms.detail' } },
  { path: '/stream-views', name: 'stream-views', component: () => import('./StreamViewsPage.vue'), meta: { roles, titleKey: 'classrooms.views.title' } },
];

export const nav: NavItem[] = [
  { key: 'classrooms', path: '/classrooms', icon: Calendar, labelKey: 'classrooms.nav', roles, order: 60 },
  { key: 'stream-views', path: '/stream-views', icon: View, labelKey: 'classrooms.views.nav', roles, order: 61 },
];

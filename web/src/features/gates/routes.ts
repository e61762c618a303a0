import { Van } from '@element-plus/icons-vue';
import type { RouteComponent, RouteMeta, RouteRecordRaw } from 'vue-router';
import type { Role } from '../../api/types';
import type { NavItem } from '../types';
import { isPhone } from './phone';

const staff: Role[] = ['admin', 'operator'];
// Estate staff (物业) use every gate page of their own estate (the server scopes the rows) but not
// the watch list, which stays with the city staff; they land on the phone review queue.
const withEstate: Role[] = [...staff, 'estate'];
// The gate desk, the phone review queue, the decision log, flagged households, then the registries behind the rules.
const pages: { key: string; path: string; component: () => Promise<RouteComponent>; titleKey: string; layout?: 'mobile' | 'phone-too'; roles?: Role[]; homeOf?: Role[] }[] = [
  { key: 'desk', path: '/gates', component: () => import('./GatesPage.vue'), titleKey: 'gates.title', layout: 'phone-too' },
  { key: 'review', path: '/gates/review', component: () => import('./ReviewQueuePage.vue'), titleKey: 'gates.review.title', layout: 'mobile', homeOf: ['estate'] },
  { key: 'log', path: '/gates/log', component: () => import('./DecisionLogPage.vue'), titleKey: 'gates.log.title' },
  { key: 'flagged', path: '/gates/flagged', component: () => import('./FlaggedPage.vue'), titleKey: 'gates.flagged.title', layout: 'phone-too' },
  { key: 'household', path: '/gates/households', component: () => import('./HouseholdsPage.vue'), titleKey: 'gates.household.title' },
  { key: 'vehicle', path: '/gates/vehicles', component: () => import('./VehiclesPage.vue'), titleKey: 'gates.vehicle.title' },
  { key: 'pass', path: '/gates/passes', component: () => import('./PassesPage.vue'), titleKey: 'gates.pass.title' },
  { key: 'watch', path: '/gates/watchlist', component: () => import('./WatchlistPage.vue'), titleKey: 'gates.watch.title', roles: staff },
];

/**
 * A page laid out for both ('phone-too') keeps the desktop shell on a desk and takes the phone shell
 * on a phone, where a sidebar and the desktop header leave the page no room. A getter, read at every
 * navigation: vue-router copies the record's meta into each route it resolves.
 */
function metaOf(p: (typeof pages)[number]): RouteMeta {
  const meta: RouteMeta = { roles: p.roles ?? withEstate, titleKey: p.titleKey };
  if (p.layout === 'mobile') meta.layout = 'mobile';
  if (p.layout === 'phone-too') Object.defineProperty(meta, 'layout', { get: () => (isPhone() ? 'mobile' : 'desktop'), enumerable: true });
  return meta;
}

export const routes: RouteRecordRaw[] = pages.map((p) => ({
  path: p.path,
  name: p.key === 'desk' ? 'gates' : `gates-${p.key}`,
  component: p.component,
  meta: metaOf(p),
}));

export const nav: NavItem[] = pages.map((p, i) => ({
  key: p.key === 'desk' ? 'gates' : `gates-${p.key}`,
  path: p.path,
  icon: Van,
  labelKey: `gates.${p.key}.nav`,
  groupKey: 'gates.nav',
  roles: p.roles ?? withEstate,
  ...(p.homeOf ? { homeOf: p.homeOf } : {}),
  order: 30 + i / 10,
}));

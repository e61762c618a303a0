import { createRouter, createWebHistory, type Router } from 'vue-router';
import { registry } from '../features/registry';
import { useSessionStore } from '../stores/session';
import { mayOpen } from './meta';

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue'), meta: { public: true, layout: 'bare', titleKey: 'login.title' } },
      // `/` has no page of its own: the guard sends each role to its home.
      { path: '/', name: 'root', component: () => import('../pages/NotFoundPage.vue') },
      ...registry.routes,
      { path: '/forbidden', name: 'forbidden', component: () => import('../pages/ForbiddenPage.vue'), meta: { titleKey: 'shell.forbidden' } },
      { path: '/:rest(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue'), meta: { titleKey: 'shell.notFound' } },
    ],
  });

  router.beforeEach(async (to) => {
    const session = useSessionStore();
    await session.ready();
    const role = session.role;
    if (to.meta.public) return to.name === 'login' && role ? session.home : true;
    if (!role) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (to.name === 'root') return session.home;
    return mayOpen(to, role) ? true : { name: 'forbidden' };
  });

  return router;
}

import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { authApi } from '../api/auth';
import { ApiError } from '../api/errors';
import { live } from '../api/live';
import type { User } from '../api/types';
import { homeFor, navFor, registry } from '../features/registry';
import { useLocaleStore } from './locale';

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  /** Why `me` failed for a reason other than "not logged in" (server down…), for the login page. */
  const startError = ref<ApiError | null>(null);
  let started: Promise<void> | null = null;

  const role = computed(() => user.value?.role ?? null);
  const nav = computed(() => (role.value ? navFor(registry.nav, role.value) : []));
  const home = computed(() => (role.value ? homeFor(registry.nav, role.value) : '/login'));

  // The live socket follows the session: it is authenticated by the same cookie.
  watch(user, (u, before) => {
    if (u && !before) live.start();
    if (!u && before) live.stop();
  });

  function signedIn(u: User): void {
    user.value = u;
    startError.value = null;
    useLocaleStore().adoptAccountLocale(u.locale);
  }

  /** Asks the server who we are, once per page load; the router waits for it. */
  function ready(): Promise<void> {
    started ??= authApi.me().then(
      ({ user: u }) => signedIn(u),
      (err: unknown) => {
        user.value = null;
        if (err instanceof ApiError && err.status !== 401) startError.value = err;
      },
    );
    return started;
  }

  /** Asks again after the server could not be reached (a phone that got its signal back). */
  function retry(): Promise<void> {
    if (startError.value) started = null;
    return ready();
  }

  async function login(username: string, password: string): Promise<User> {
    const { user: u } = await authApi.login(username, password);
    signedIn(u);
    return u;
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      user.value = null;
    }
  }

  /** The server said 401: the session expired or was revoked elsewhere. */
  function expired(): void {
    user.value = null;
  }

  return { user, role, nav, home, startError, ready, retry, login, logout, expired };
});

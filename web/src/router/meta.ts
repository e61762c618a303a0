import type { RouteMeta } from 'vue-router';
import type { Role } from '../api/types';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login page). */
    public?: boolean;
    /** Roles that may open the route. */
    roles?: Role[];
    /** `mobile` pages (patrol, parent) get the phone shell: no sidebar, a drawer menu. */
    layout?: 'desktop' | 'mobile' | 'bare';
    /** i18n key of the page title. */
    titleKey?: string;
  }
}

/** A route without a `roles` list is open to every signed-in user (vue-router merges meta down the matched records). */
export function mayOpen(to: { meta: RouteMeta }, role: Role): boolean {
  return !to.meta.roles || to.meta.roles.includes(role);
}

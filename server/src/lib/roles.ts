export const USER_ROLES = ['admin', 'operator', 'patrol', 'parent', 'estate'] as const;
export type UserRole = (typeof USER_ROLES)[number];
/** Devices authenticate with an API key, not a session: `gate` barrier controllers, `alarm` terminals. */
export const DEVICE_ROLES = ['gate', 'alarm'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];
export type Role = UserRole | DeviceRole;
export const ALL_ROLES: readonly Role[] = [...USER_ROLES, ...DEVICE_ROLES];
export const STAFF: readonly Role[] = ['admin', 'operator'];
/**
 * Who works the gates: the city staff everywhere, estate staff (物业) only at their own site —
 * every route open to `estate` scopes its rows with `siteScope` (server/src/gates/site-scope.ts).
 */
export const GATE_STAFF: readonly Role[] = [...STAFF, 'estate'];
/** Every signed-in person (not devices). */
export const ANY_USER: readonly Role[] = USER_ROLES;

/** What a route allows: `public`, or the roles that may call it. Every route must declare one. */
export type Access = 'public' | readonly Role[];

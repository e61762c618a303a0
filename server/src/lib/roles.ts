export const USER_ROLES = ['admin', 'operator', 'patrol', 'parent'] as const;
export type UserRole = (typeof USER_ROLES)[number];
/** Devices authenticate with an API key, not a session: `gate` barrier controllers, `alarm` terminals. */
export const DEVICE_ROLES = ['gate', 'alarm'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];
export type Role = UserRole | DeviceRole;
export const ALL_ROLES: readonly Role[] = [...USER_ROLES, ...DEVICE_ROLES];
export const STAFF: readonly Role[] = ['admin', 'operator'];
/** Every signed-in person (not devices). */
export const ANY_USER: readonly Role[] = USER_ROLES;

/** What a route allows: `public`, or the roles that may call it. Every route must declare one. */
export type Access = 'public' | readonly Role[];

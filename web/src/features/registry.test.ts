import { createMemoryHistory, createRouter } from 'vue-router';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../api/types';
import { messages } from '../i18n';
import { buildMessages, leafKeys, type MessageTree } from '../i18n/messages';
import { mayOpen } from '../router/meta';
import { collectFeatures, homeFor, navFor, registry } from './registry';
import type { FeatureModule } from './types';

const has = (tree: MessageTree, key: string) => {
  let node: string | MessageTree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string';
};

describe('the registered features', () => {
  // Features other issues add may show to these roles too; the shell's own must be exactly these.
  const SHELL = ['wall', 'incidents', 'gates', 'patrol', 'parent', 'admin-users', 'admin-cameras', 'admin-sites', 'admin-teams'];
  const keysFor = (role: Role) => navFor(registry.nav, role).map((n) => n.key);
  const shellKeysFor = (role: Role) => keysFor(role).filter((k) => SHELL.includes(k));

  it('give each role exactly its navigation', () => {
    // Not the parent page: a child's classroom is for its parents only (issue 9).
    expect(shellKeysFor('admin')).toEqual(SHELL.filter((k) => k !== 'parent'));
    expect(shellKeysFor('operator')).toEqual(['wall', 'incidents', 'gates']);
    expect(shellKeysFor('patrol')).toEqual(['patrol']);
    expect(shellKeysFor('parent')).toEqual(['parent']);
    // Estate staff: the gate pages of their estate, not the watch list, wall, incidents or admin.
    expect(keysFor('estate')).toEqual(['gates', 'gates-review', 'gates-log', 'gates-flagged', 'gates-household', 'gates-vehicle', 'gates-pass']);
  });

  it('send each role home to its first page (estate staff: the phone review queue)', () => {
    expect(ROLES.map((r) => homeFor(registry.nav, r))).toEqual(['/wall', '/wall', '/patrol', '/parent', '/gates/review']);
  });

  it('back every nav item with a route that the same roles may open, and no other role', () => {
    const router = createRouter({ history: createMemoryHistory(), routes: registry.routes });
    for (const item of registry.nav) {
      const route = router.resolve(item.path);
      expect(route.matched.length, item.path).toBeGreaterThan(0);
      for (const role of ROLES) expect(mayOpen(route, role), `${role} → ${item.path}`).toBe(item.roles.includes(role));
      expect(route.meta.titleKey, item.path).toBeTruthy();
    }
  });

  it('have every label and title in both languages, and the languages have the same keys', () => {
    const router = createRouter({ history: createMemoryHistory(), routes: registry.routes });
    const keys = [...registry.nav.flatMap((n) => [n.labelKey, n.groupKey ?? n.labelKey]), ...registry.nav.map((n) => String(router.resolve(n.path).meta.titleKey))];
    for (const locale of ['zh-CN', 'en'] as const) for (const k of keys) expect(has(messages[locale], k), `${locale}: ${k}`).toBe(true);
    expect(leafKeys(messages.en).sort()).toEqual(leafKeys(messages['zh-CN']).sort());
    for (const role of ROLES) expect(has(messages['zh-CN'], `roles.${role}`)).toBe(true);
  });
});

describe('collectFeatures', () => {
  const mod = (key: string, order: number): FeatureModule => ({ routes: [], nav: [{ key, path: `/${key}`, labelKey: key, roles: ['admin'], order }] });

  it('orders navigation by order, then key', () => {
    const r = collectFeatures({ './b/routes.ts': mod('b', 2), './a/routes.ts': mod('a', 2), './c/routes.ts': mod('c', 1) });
    expect(r.nav.map((n) => n.key)).toEqual(['c', 'a', 'b']);
  });

  it('rejects duplicate keys and malformed modules', () => {
    expect(() => collectFeatures({ './a/routes.ts': mod('x', 1), './b/routes.ts': mod('x', 2) })).toThrow(/duplicate nav key "x"/);
    expect(() => collectFeatures({ './a/routes.ts': { routes: [] } as unknown as FeatureModule })).toThrow(/must export routes and nav/);
  });

  it('sends a role without pages to /forbidden', () => {
    expect(homeFor([], 'parent')).toBe('/forbidden');
  });
});

describe('buildMessages', () => {
  it('namespaces feature messages by folder and merges shell files', () => {
    const m = buildMessages(
      { './locales/zh-CN.json': { common: { save: '保存' } }, './locales/en.json': { common: { save: 'Save' } } },
      { '../features/wall/locales/zh-CN.json': { nav: '视频墙' }, '../features/wall/locales/en.json': { nav: 'Video wall' } },
    );
    expect(m['zh-CN']).toEqual({ common: { save: '保存' }, wall: { nav: '视频墙' } });
    expect(leafKeys(m.en)).toEqual(['common.save', 'wall.nav']);
  });

  it('refuses a feature whose name collides with a shell key', () => {
    expect(() => buildMessages({ './locales/en.json': { common: {} } }, { '../features/common/locales/en.json': {} })).toThrow(/collides/);
  });
});

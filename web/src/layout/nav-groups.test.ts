import { describe, expect, it } from 'vitest';
import type { NavItem } from '../features/types';
import { groupNav } from './nav-groups';

const item = (key: string, groupKey?: string): NavItem => ({ key, path: `/${key}`, labelKey: key, roles: ['admin'], order: 0, groupKey });

describe('groupNav', () => {
  it('folds items of one group into a sub-menu where the first of them was', () => {
    const entries = groupNav([item('wall'), item('users', 'admin.nav'), item('incidents'), item('sites', 'admin.nav')]);
    expect(entries.map((e) => (e.kind === 'item' ? e.item.key : `${e.labelKey}[${e.items.map((i) => i.key).join(',')}]`))).toEqual([
      'wall',
      'admin.nav[users,sites]',
      'incidents',
    ]);
  });
});

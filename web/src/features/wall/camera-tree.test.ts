import { describe, expect, it } from 'vitest';
import type { Camera, Site } from '../../api/types';
import { buildCameraTree, camerasInOrder, matchesFilter } from './camera-tree';

const cam = (id: string, name: string, siteId: string | null, area: string, location = ''): Camera =>
  ({ id, name, siteId, area, location, kind: 'onvif', x: 0, y: 0, onvifUrl: null, rtspMain: null, rtspSub: null, username: null, hasPassword: false, ptz: false, status: 'online', lastError: null, createdAt: '' }) as Camera;
const sites = [{ id: 's1', name: '幸福里小区' } as Site];

describe('camera tree', () => {
  it('groups cameras by site then area, with a bucket for cameras without either', () => {
    const tree = buildCameraTree([cam('c1', '东门', 's1', '出入口'), cam('c2', '西门', 's1', '出入口'), cam('c3', '停车场', 's1', ''), cam('c4', '路口', null, '')], sites, '未分配', '其他');
    const labels = tree.map((s) => [s.label, s.children!.map((a) => [a.label, a.children!.map((c) => c.label)])]);
    expect(labels).toContainEqual(['幸福里小区', expect.arrayContaining([['出入口', ['东门', '西门']], ['其他', ['停车场']]])]);
    expect(labels).toContainEqual(['未分配', [['其他', ['路口']]]]);
    expect(camerasInOrder(tree)).toHaveLength(4);
  });

  it('keeps a camera whose site was deleted, under its id', () => {
    const tree = buildCameraTree([cam('c1', 'A', 'gone', 'x')], sites, '未分配', '其他');
    expect(tree[0].label).toBe('gone');
  });

  it('filters cameras on name, location and area, case-blind', () => {
    const node = { id: 'c1', label: 'North Gate', camera: cam('c1', 'North Gate', 's1', '出入口', '北京街 3 号') };
    expect(matchesFilter('north', node)).toBe(true);
    expect(matchesFilter('北京街', node)).toBe(true);
    expect(matchesFilter('出入', node)).toBe(true);
    expect(matchesFilter('south', node)).toBe(false);
    expect(matchesFilter('   ', node)).toBe(true);
    expect(matchesFilter('幸福', { id: 'site:s1', label: '幸福里小区' })).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { loadWalls, parseWallStore, saveWall, storeWalls, tourPages } from './walls';

describe('saved walls', () => {
  it('round-trips through storage per user', () => {
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    storeWalls('u1', { current: { layout: '4', cells: ['a', null, 'b', null] }, saved: [{ name: '北门', layout: '1', cells: ['a'] }] }, storage);
    expect(loadWalls('u1', storage)).toEqual({ current: { layout: '4', cells: ['a', null, 'b', null] }, saved: [{ name: '北门', layout: '1', cells: ['a'] }] });
    expect(loadWalls('u2', storage)).toEqual({ current: null, saved: [] });
  });

  it('drops whatever in storage is not a wall', () => {
    expect(parseWallStore('{not json')).toEqual({ current: null, saved: [] });
    expect(parseWallStore('[1,2]')).toEqual({ current: null, saved: [] });
    expect(parseWallStore('null')).toEqual({ current: null, saved: [] });
    const s = parseWallStore(JSON.stringify({ current: { layout: '99', cells: [42, 'x'.repeat(100), 'ok'] }, saved: [{ name: '  ', layout: '4', cells: [] }, { layout: '4', cells: [] }, 'junk', { name: 'A', layout: '1+5', cells: 'no' }] }));
    expect(s.current).toEqual({ layout: '4', cells: [null, null, 'ok', null] });
    expect(s.saved).toEqual([]);
  });

  it('replaces a saved wall of the same name', () => {
    const a = saveWall([], { name: 'A', layout: '1', cells: ['x'] });
    const b = saveWall(a, { name: 'A', layout: '4', cells: ['y', null, null, null] });
    expect(b).toEqual([{ name: 'A', layout: '4', cells: ['y', null, null, null] }]);
  });

  it('tours saved walls, or every camera page by page', () => {
    const saved = [
      { name: 'A', layout: '1' as const, cells: ['x'] },
      { name: 'B', layout: '4' as const, cells: ['y', null, null, null] },
    ];
    expect(tourPages(saved, ['c1'], '9').map((p) => p.layout)).toEqual(['1', '4']);
    const pages = tourPages(saved.slice(0, 1), ['c1', 'c2', 'c3', 'c4', 'c5'], '4');
    expect(pages).toEqual([
      { layout: '4', cells: ['c1', 'c2', 'c3', 'c4'] },
      { layout: '4', cells: ['c5', null, null, null] },
    ]);
    expect(tourPages([], [], '4')).toEqual([]);
  });
});

// Saved walls, per user, in localStorage: the wall as it was left, and named walls to recall or
// tour. Anything unreadable in storage (old versions, hand edits) is dropped, never trusted.
import { fitCells, layoutOf, type LayoutKey } from './layouts';

export interface WallSetup {
  layout: LayoutKey;
  cells: (string | null)[];
}
export interface SavedWall extends WallSetup {
  name: string;
}
export interface WallStore {
  current: WallSetup | null;
  saved: SavedWall[];
}

const MAX_SAVED = 50;
const key = (userId: string) => `qly.wall.${userId}`;

function setup(raw: unknown): WallSetup | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { layout, cells } = raw as { layout?: unknown; cells?: unknown };
  if (typeof layout !== 'string' || !Array.isArray(cells)) return null;
  const l = layoutOf(layout);
  return { layout: l.key, cells: fitCells(cells.map((c) => (typeof c === 'string' && c.length <= 64 ? c : null)), l.cells.length) };
}

export function parseWallStore(text: string | null): WallStore {
  let raw: unknown;
  try {
    raw = text ? JSON.parse(text) : null;
  } catch {
    raw = null;
  }
  const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as { current?: unknown; saved?: unknown };
  const saved = (Array.isArray(obj.saved) ? obj.saved : [])
    .map((w) => {
      const s = setup(w);
      const name = (w as { name?: unknown }).name;
      return s && typeof name === 'string' && name.trim() ? { ...s, name: name.trim().slice(0, 40) } : null;
    })
    .filter((w): w is SavedWall => w !== null)
    .slice(0, MAX_SAVED);
  return { current: setup(obj.current), saved };
}

export function loadWalls(userId: string, storage: Pick<Storage, 'getItem'> = localStorage): WallStore {
  return parseWallStore(storage.getItem(key(userId)));
}

export function storeWalls(userId: string, store: WallStore, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(key(userId), JSON.stringify(store));
}

/** Saving under an existing name replaces that wall. */
export function saveWall(saved: SavedWall[], wall: SavedWall): SavedWall[] {
  return [...saved.filter((w) => w.name !== wall.name), wall].slice(-MAX_SAVED);
}

/**
 * The pages a timed tour shows: the saved walls when there are at least two, otherwise every
 * camera in turn, as many per page as the layout has tiles.
 */
export function tourPages(saved: SavedWall[], cameraIds: string[], layout: LayoutKey): WallSetup[] {
  if (saved.length >= 2) return saved.map(({ layout: l, cells }) => ({ layout: l, cells }));
  const per = layoutOf(layout).cells.length;
  const pages: WallSetup[] = [];
  for (let i = 0; i < cameraIds.length; i += per) pages.push({ layout, cells: fitCells(cameraIds.slice(i, i + per), per) });
  return pages;
}

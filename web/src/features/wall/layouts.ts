// Wall layouts as CSS grid placements. "1+5" and "1+7" are the control-room classics: one large
// picture in the corner, small ones around it.
export const LAYOUT_KEYS = ['1', '4', '9', '16', '1+5', '1+7'] as const;
export type LayoutKey = (typeof LAYOUT_KEYS)[number];

export interface Cell {
  col: number;
  row: number;
  span: number;
}

export interface Layout {
  key: LayoutKey;
  size: number;
  cells: Cell[];
}

function grid(size: number, big = 0): Cell[] {
  const cells: Cell[] = big ? [{ col: 1, row: 1, span: big }] : [];
  for (let row = 1; row <= size; row++) {
    for (let col = 1; col <= size; col++) {
      if (big && row <= big && col <= big) continue;
      cells.push({ col, row, span: 1 });
    }
  }
  return cells;
}

const LAYOUTS: Record<LayoutKey, Layout> = {
  '1': { key: '1', size: 1, cells: grid(1) },
  '4': { key: '4', size: 2, cells: grid(2) },
  '9': { key: '9', size: 3, cells: grid(3) },
  '16': { key: '16', size: 4, cells: grid(4) },
  '1+5': { key: '1+5', size: 3, cells: grid(3, 2) },
  '1+7': { key: '1+7', size: 4, cells: grid(4, 3) },
};

export function layoutOf(key: string): Layout {
  return LAYOUTS[(LAYOUT_KEYS as readonly string[]).includes(key) ? (key as LayoutKey) : '4'];
}

/**
 * A tile wider than half the wall (1-up, the large tile of 1+5 / 1+7, enlarged) gets the main
 * profile; the others the sub stream — decoding four 1080p pictures for 2×2 tiles of a few
 * hundred pixels each costs the browser for nothing.
 */
export function profileFor(layout: Layout, cell: Cell, enlarged: boolean): 'main' | 'sub' {
  return enlarged || cell.span * 2 > layout.size ? 'main' : 'sub';
}

/** Keeps the cameras already placed when the layout changes; drops what no longer fits. */
export function fitCells(cameras: (string | null)[], count: number): (string | null)[] {
  return Array.from({ length: count }, (_, i) => cameras[i] ?? null);
}

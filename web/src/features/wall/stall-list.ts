import type { StallEvent } from '../stalls/api';

// The wall's stall-event list as plain data (no socket, no HTTP), so it is unit-testable.
export const KEEP = 50;

/** Events to draw over the tiles: ongoing, not marked false, with a camera and a box. */
export function runningByCamera(events: readonly StallEvent[]): Map<string, StallEvent[]> {
  const byCamera = new Map<string, StallEvent[]>();
  for (const e of events) {
    if (e.endedAt || e.falseAlarm || !e.cameraId || !e.box) continue;
    byCamera.set(e.cameraId, [...(byCamera.get(e.cameraId) ?? []), e]);
  }
  return byCamera;
}

/** `list` with `e` in place of the event with its id, newest first, at most `keep`. */
export function upsertEvent(list: readonly StallEvent[], e: StallEvent, keep = KEEP): StallEvent[] {
  return [e, ...list.filter((x) => x.id !== e.id)].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, keep);
}

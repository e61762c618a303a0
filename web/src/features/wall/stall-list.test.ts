import { describe, expect, it } from 'vitest';
import type { StallEvent } from '../stalls/api';
import { runningByCamera, upsertEvent } from './stall-list';

const ev = (id: string, startedAt: string, over: Partial<StallEvent> = {}): StallEvent => ({
  id,
  cameraId: 'cam-1',
  zoneId: 'z',
  zoneName: '地铁B口',
  incidentId: `inc-${id}`,
  startedAt,
  endedAt: null,
  box: [0.1, 0.2, 0.3, 0.4],
  snapshotPath: 'events/x.jpg',
  falseAlarm: false,
  ...over,
});

describe('wall stall events', () => {
  it('keeps one entry per event, newest first, replaced by later pushes', () => {
    let list: StallEvent[] = [];
    list = upsertEvent(list, ev('a', '2026-11-29T08:00:00.000Z'));
    list = upsertEvent(list, ev('b', '2026-11-29T08:05:00.000Z'));
    list = upsertEvent(list, ev('a', '2026-11-29T08:00:00.000Z', { endedAt: '2026-11-29T08:09:00.000Z' }));
    expect(list.map((e) => [e.id, e.endedAt])).toEqual([
      ['b', null],
      ['a', '2026-11-29T08:09:00.000Z'],
    ]);
    expect(upsertEvent(list, ev('c', '2026-11-29T07:00:00.000Z'), 2).map((e) => e.id)).toEqual(['b', 'a']);
  });

  it('draws only ongoing events that are not false alarms, per camera', () => {
    const running = runningByCamera([
      ev('a', '2026-11-29T08:00:00.000Z'),
      ev('b', '2026-11-29T08:01:00.000Z', { cameraId: 'cam-2' }),
      ev('c', '2026-11-29T08:02:00.000Z', { endedAt: '2026-11-29T08:03:00.000Z' }),
      ev('d', '2026-11-29T08:04:00.000Z', { falseAlarm: true }),
      ev('e', '2026-11-29T08:05:00.000Z', { box: null }),
      ev('f', '2026-11-29T08:06:00.000Z'),
    ]);
    expect([...running.entries()].map(([cam, list]) => [cam, list.map((e) => e.id)])).toEqual([
      ['cam-1', ['a', 'f']],
      ['cam-2', ['b']],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { intervalsOn, localDate, openingState, zonedTime, type Schedule } from './schedule';

// Weekdays 16:00–18:30 in Shanghai (UTC+8, no daylight saving).
const weekdays: Schedule = {
  timezone: 'Asia/Shanghai',
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '16:00', closes: '18:30' })),
  exceptions: [],
};

describe('zoned time', () => {
  it('maps a Shanghai wall-clock time to the UTC instant', () => {
    expect(zonedTime('2026-12-01', '16:00', 'Asia/Shanghai').toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });
  it('gives the local date across midnight UTC', () => {
    expect(localDate(new Date('2026-12-01T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-02');
  });
  it('handles a daylight-saving zone on both sides of the change', () => {
    expect(zonedTime('2026-07-01', '16:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T14:00:00.000Z');
    expect(zonedTime('2026-12-01', '16:00', 'Europe/Berlin').toISOString()).toBe('2026-12-01T15:00:00.000Z');
  });
});

describe('opening state', () => {
  it('is open inside the weekday hours and says when it closes', () => {
    // Tuesday 2026-12-01 17:00 Shanghai
    const s = openingState(weekdays, new Date('2026-12-01T09:00:00Z'));
    expect(s.open).toBe(true);
    expect(s.current?.closes.toISOString()).toBe('2026-12-01T10:30:00.000Z');
  });
  it('is closed at the closing minute and points to the next day', () => {
    const s = openingState(weekdays, new Date('2026-12-01T10:30:00Z'));
    expect(s.open).toBe(false);
    expect(s.next?.opens.toISOString()).toBe('2026-12-02T08:00:00.000Z');
  });
  it('skips the weekend', () => {
    // Saturday 2026-12-05 17:00 Shanghai → Monday 16:00
    const s = openingState(weekdays, new Date('2026-12-05T09:00:00Z'));
    expect(s.open).toBe(false);
    expect(s.next?.opens.toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });
  it('honours a closure and special hours', () => {
    const withExceptions: Schedule = {
      ...weekdays,
      exceptions: [
        { day: '2026-12-01', closed: true, opens: null, closes: null, note: '教室消毒' },
        { day: '2026-12-02', closed: false, opens: '14:00', closes: '15:00', note: '提前放学' },
      ],
    };
    const closed = openingState(withExceptions, new Date('2026-12-01T09:00:00Z'));
    expect(closed.open).toBe(false);
    expect(closed.note).toBe('教室消毒');
    expect(closed.next?.opens.toISOString()).toBe('2026-12-02T06:00:00.000Z');
    expect(intervalsOn(withExceptions, '2026-12-02')).toHaveLength(1);
    expect(openingState(withExceptions, new Date('2026-12-02T09:00:00Z')).open).toBe(false);
  });
  it('has no next opening when the schedule is empty', () => {
    const s = openingState({ timezone: 'Asia/Shanghai', weekly: [], exceptions: [] }, new Date());
    expect(s).toMatchObject({ open: false, current: null, next: null });
  });
});

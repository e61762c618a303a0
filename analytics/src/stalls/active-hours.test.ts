import { describe, expect, it } from 'vitest';
import { isActiveAt } from './active-hours';

// 2026-11-30 is a Monday; Shanghai is UTC+8 all year.
const sh = (iso: string) => new Date(`${iso}+08:00`);
const TZ = 'Asia/Shanghai';

describe('isActiveAt', () => {
  it('is always active without windows', () => {
    expect(isActiveAt(null, sh('2026-11-30T03:00:00'), TZ)).toBe(true);
    expect(isActiveAt([], sh('2026-11-30T03:00:00'), TZ)).toBe(true);
  });

  it('honours weekday windows in the site time zone, end exclusive', () => {
    const weekdays = [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '21:30' }];
    expect(isActiveAt(weekdays, sh('2026-11-30T07:00:00'), TZ)).toBe(true);
    expect(isActiveAt(weekdays, sh('2026-11-30T21:29:00'), TZ)).toBe(true);
    expect(isActiveAt(weekdays, sh('2026-11-30T21:30:00'), TZ)).toBe(false);
    expect(isActiveAt(weekdays, sh('2026-11-30T06:59:00'), TZ)).toBe(false);
    expect(isActiveAt(weekdays, sh('2026-11-29T12:00:00'), TZ)).toBe(false); // Sunday
    // 23:30 UTC on Sunday is 07:30 Monday in Shanghai.
    expect(isActiveAt(weekdays, new Date('2026-11-29T23:30:00Z'), TZ)).toBe(true);
  });

  it('runs overnight windows past midnight on the day they start', () => {
    const fridayNight = [{ days: [5], from: '22:00', to: '02:00' }];
    expect(isActiveAt(fridayNight, sh('2026-12-04T23:00:00'), TZ)).toBe(true); // Friday
    expect(isActiveAt(fridayNight, sh('2026-12-05T01:30:00'), TZ)).toBe(true); // Saturday early
    expect(isActiveAt(fridayNight, sh('2026-12-05T23:00:00'), TZ)).toBe(false); // Saturday night
    expect(isActiveAt(fridayNight, sh('2026-12-04T01:30:00'), TZ)).toBe(false); // Friday early (Thursday's tail)
  });
});

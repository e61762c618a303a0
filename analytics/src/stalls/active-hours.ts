// Zones watch only in their active hours (e.g. a metro exit from 07:00 to 21:30 on weekdays).
// Windows are local wall-clock times in the site's time zone; `from > to` runs past midnight and
// belongs to the day it starts on. No windows (null / empty) means always active.

export interface ActiveWindow {
  /** 0 = Sunday … 6; omitted = every day. */
  days?: number[];
  from: string;
  to: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function localClock(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAYS.indexOf(get('weekday')), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isActiveAt(windows: ActiveWindow[] | null | undefined, at: Date, timeZone: string): boolean {
  if (!windows || windows.length === 0) return true;
  const { day, minutes } = localClock(at, timeZone);
  const yesterday = (day + 6) % 7;
  return windows.some((w) => {
    const from = toMinutes(w.from);
    const to = toMinutes(w.to);
    const on = (d: number) => !w.days || w.days.includes(d);
    if (from < to) return on(day) && minutes >= from && minutes < to;
    // Overnight: the evening part today, or the early-morning tail of yesterday's window.
    return (on(day) && minutes >= from) || (on(yesterday) && minutes < to);
  });
}

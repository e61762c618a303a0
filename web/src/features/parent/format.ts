// Times are shown in the classroom's zone, whatever zone the phone is in.
export function formatTime(iso: string, timezone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function formatDayTime(iso: string, timezone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: timezone, month: 'numeric', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
}

/** Weekday name for 0 = Sunday … 6 = Saturday (2023-01-01 was a Sunday). */
export function weekdayName(weekday: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2023, 0, 1 + weekday)));
}

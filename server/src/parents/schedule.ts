// Opening hours of a classroom, computed in its site's time zone. Pure functions over plain
// data so that the clock is whatever the caller passes (tests move it across closing time).

/** A weekly slot; weekday 0 = Sunday … 6 = Saturday (JavaScript's getDay), times `HH:MM[:SS]`. */
export interface WeeklySlot {
  weekday: number;
  opens: string;
  closes: string;
}

/** One date that differs from the week: closed all day, or open only at the given hours. */
export interface ScheduleException {
  day: string; // YYYY-MM-DD in the site's zone
  closed: boolean;
  opens: string | null;
  closes: string | null;
  note: string;
}

export interface Schedule {
  timezone: string;
  weekly: WeeklySlot[];
  exceptions: ScheduleException[];
}

export interface Interval {
  opens: Date;
  closes: Date;
}

export interface OpeningState {
  open: boolean;
  /** The interval we are in, when open. */
  current: Interval | null;
  /** The next interval that starts after now (within the look-ahead), when there is one. */
  next: Interval | null;
  /** Why today is different, when an exception applies to today. */
  note: string | null;
}

const LOOK_AHEAD_DAYS = 14;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timezone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
export function zonedParts(at: Date, timezone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** The site-local calendar date of an instant, as YYYY-MM-DD. */
export function localDate(at: Date, timezone: string): string {
  const p = zonedParts(at, timezone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function offsetMs(at: Date, timezone: string): number {
  const p = zonedParts(at, timezone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant at which the site-local wall clock shows `day` `time`. */
export function zonedTime(day: string, time: string, timezone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm, ss = 0] = time.split(':').map(Number);
  const naive = Date.UTC(y, m - 1, d, hh, mm, ss);
  // Two passes settle the offset across a daylight-saving change.
  let guess = naive - offsetMs(new Date(naive), timezone);
  guess = naive - offsetMs(new Date(guess), timezone);
  return new Date(guess);
}

function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The opening intervals of one local date, after exceptions. */
export function intervalsOn(schedule: Schedule, day: string): Interval[] {
  const exception = schedule.exceptions.find((e) => e.day === day);
  const slots = exception
    ? exception.closed || !exception.opens || !exception.closes
      ? []
      : [{ opens: exception.opens, closes: exception.closes }]
    : schedule.weekly.filter((s) => s.weekday === weekdayOf(day));
  return slots
    .map((s) => ({ opens: zonedTime(day, s.opens, schedule.timezone), closes: zonedTime(day, s.closes, schedule.timezone) }))
    .sort((a, b) => a.opens.getTime() - b.opens.getTime());
}

export function openingState(schedule: Schedule, now: Date): OpeningState {
  const today = localDate(now, schedule.timezone);
  const t = now.getTime();
  let current: Interval | null = null;
  let next: Interval | null = null;
  for (let i = 0; i <= LOOK_AHEAD_DAYS && !next; i++) {
    for (const interval of intervalsOn(schedule, addDays(today, i))) {
      if (interval.opens.getTime() <= t && t < interval.closes.getTime()) current ??= interval;
      else if (interval.opens.getTime() > t) {
        next = interval;
        break;
      }
    }
  }
  const note = schedule.exceptions.find((e) => e.day === today)?.note || null;
  return { open: current !== null, current, next, note };
}

import { toBeijingIso } from '@app/shared-kernel';

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Which days are working days (工作日), following the Chinese calendar: statutory holidays are off and
 * 调休 make-up days (weekend days declared working days) are on (DESIGN.md §5).
 *
 * Deadline semantics: "within n working days of `from`" ends at the END of the n-th working day
 * strictly after from's Beijing calendar day, i.e. at 24:00 Asia/Shanghai (the next day 00:00 +08:00),
 * returned as a UTC Date. From's own day never counts, whatever the hour. Example: issued Friday
 * 2026-11-20 15:00 +08:00 with n = 1 → due Monday 2026-11-23 24:00 +08:00 = 2026-11-23T16:00:00Z.
 * n must be an integer ≥ 1 (RangeError otherwise).
 */
export interface WorkingCalendar {
  /** Recorded on every deadline it computes, e.g. `chinese-days@1.5.7`. */
  readonly name: string;
  /** `day` is a calendar day YYYY-MM-DD in Asia/Shanghai. */
  isWorkingDay(day: string): boolean;
  addWorkingDays(from: Date, n: number): Date;
}

/** A computed deadline as deadline events record it: when, by which rule, with which calendar. */
export interface WorkingDeadline {
  /** UTC ISO 8601, e.g. 2026-11-23T16:00:00.000Z. */
  dueAt: string;
  /** What the deadline is for, e.g. `sign-for: 1 working day`. */
  rule: string;
  calendar: string;
}

export function workingDeadline(calendar: WorkingCalendar, from: Date, n: number, rule: string): WorkingDeadline {
  return { dueAt: calendar.addWorkingDays(from, n).toISOString(), rule, calendar: calendar.name };
}

/** The deadline walk shared by calendars: see the semantics on {@link WorkingCalendar}. */
export function endOfNthWorkingDay(isWorkingDay: (day: string) => boolean, from: Date, n: number): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be an integer ≥ 1, got ${n}`);
  let day = beijingDay(from);
  for (let counted = 0; counted < n; ) {
    day = nextDay(day);
    if (isWorkingDay(day)) counted++;
  }
  return endOfBeijingDay(day);
}

/** The Asia/Shanghai calendar day (YYYY-MM-DD) an instant falls on. */
export function beijingDay(instant: Date): string {
  return toBeijingIso(instant).slice(0, 10);
}

/** 24:00 Asia/Shanghai at the end of `day`, i.e. the next day's 00:00 +08:00. */
export function endOfBeijingDay(day: string): Date {
  return new Date(Date.parse(`${assertIsoDay(day)}T00:00:00+08:00`) + DAY_MS);
}

/** Throws a RangeError unless `day` is a real calendar date written YYYY-MM-DD. */
export function assertIsoDay(day: string): string {
  const m = ISO_DAY.exec(day);
  if (!m || new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`not a YYYY-MM-DD calendar day: ${JSON.stringify(day)}`);
  }
  return day;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

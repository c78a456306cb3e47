import { toBeijingIso } from '@app/shared-kernel';

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const CUTOFF = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The longest reporting window, in days: a sensitive period (两会, 国庆) lasts days or weeks, never more than a quarter. */
export const MAX_WINDOW_DAYS = 92;

/** Whether `day` is a real calendar date written YYYY-MM-DD (a Beijing calendar day in this context). */
export function isCalendarDay(day: string): boolean {
  const m = ISO_DAY.exec(day);
  return m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === day;
}

/** Whether `cutoff` is a time of day HH:mm, 00:00 to 23:59. */
export const isCutoff = (cutoff: string): boolean => CUTOFF.test(cutoff);

/** The calendar day `n` days after `day` (both YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** How many days `from` to `to` cover, both included (0 or less when `to` is before `from`). */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Every day from `from` to `to`, both included. */
export function daysOf(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, dayCount(from, to)) }, (_, i) => addDays(from, i));
}

/** The instant (UTC ISO 8601) of `day`'s cut-off, `cutoff` being Beijing wall-clock time: 2026-03-05 + 17:00 → 2026-03-05T09:00:00.000Z. */
export function cutoffAt(day: string, cutoff: string): string {
  return new Date(`${day}T${cutoff}:00+08:00`).toISOString();
}

/** The Beijing calendar day an instant falls on. */
export function beijingDay(instant: string): string {
  return toBeijingIso(instant).slice(0, 10);
}

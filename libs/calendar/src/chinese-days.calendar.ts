import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import chineseDaysPackage from 'chinese-days/package.json';
import { assertIsoDay, endOfNthWorkingDay, type WorkingCalendar } from './working-calendar';

/** Days that configuration declares off (holidays) or on (workdays); they win over the package data. */
export interface WorkingCalendarOverrides {
  readonly holidays?: readonly string[];
  readonly workdays?: readonly string[];
}

/**
 * The package's published day tables (its README offers dist/chinese-days.json for this). Its functions
 * are not used: they build the same tables at load time in the process's local time zone, and west of
 * UTC every date comes out one day early (e.g. National Day 2025 as 09-30..10-07).
 */
const packageHolidays: Readonly<Record<string, string>> = chineseDaysData.holidays;
const packageWorkdays: Readonly<Record<string, string>> = chineseDaysData.workdays;
const packageYears: ReadonlySet<number> = new Set(Object.keys(packageHolidays).map((day) => Number(day.slice(0, 4))));

/**
 * Whether the `chinese-days` package has the State Council's holiday arrangement for `year` (every
 * arrangement has holidays, 元旦 at least). Each year is announced late in the year before, so the
 * newest year appears only after a package upgrade.
 */
export function chineseDaysCoversYear(year: number): boolean {
  return packageYears.has(year);
}

/**
 * Working days after npm `chinese-days` (holidays and 调休 make-up days, DESIGN.md §5), with
 * configured overrides winning over the package data.
 *
 * In a year the package does not cover, a day is a working day when it is Monday to Friday (as the
 * package itself answers there) unless an override says otherwise; so until the package is upgraded,
 * list that year's holidays and make-up days in the overrides. `coversYear` tells which years rest on
 * the Monday-to-Friday fallback; `name` stays the package version either way.
 */
export class ChineseDaysCalendar implements WorkingCalendar {
  readonly name = `chinese-days@${chineseDaysPackage.version}`;
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;

  constructor(overrides: WorkingCalendarOverrides = {}) {
    this.holidays = new Set((overrides.holidays ?? []).map(assertIsoDay));
    this.workdays = new Set((overrides.workdays ?? []).map(assertIsoDay));
    const both = [...this.holidays].filter((d) => this.workdays.has(d));
    if (both.length) throw new RangeError(`overridden as both holiday and workday: ${both.join(', ')}`);
  }

  isWorkingDay(day: string): boolean {
    assertIsoDay(day);
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    if (packageWorkdays[day] !== undefined) return true;
    if (packageHolidays[day] !== undefined) return false;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday >= 1 && weekday <= 5;
  }

  addWorkingDays(from: Date, n: number): Date {
    if (Number.isNaN(from.getTime())) throw new RangeError('not an instant: Invalid Date');
    return endOfNthWorkingDay((day) => this.isWorkingDay(day), from, n);
  }

  /** The package data or an override speaks for `year`, so it is not the Monday-to-Friday fallback. */
  coversYear(year: number): boolean {
    const prefix = `${year}-`;
    const overridden = (days: ReadonlySet<string>) => [...days].some((d) => d.startsWith(prefix));
    return chineseDaysCoversYear(year) || overridden(this.holidays) || overridden(this.workdays);
  }
}

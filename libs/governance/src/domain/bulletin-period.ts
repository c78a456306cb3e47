import { DomainError, toBeijingIso } from '@app/shared-kernel';

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The years a bulletin may cover (as the other governance year filters). */
export const FIRST_BULLETIN_YEAR = 2000;
export const LAST_BULLETIN_YEAR = 2100;

/** Whether `period` is a month written YYYY-MM, from 2000-01 to 2100-12. */
export function isPeriod(period: string): boolean {
  const m = PERIOD.exec(period);
  return m !== null && Number(m[1]) >= FIRST_BULLETIN_YEAR && Number(m[1]) <= LAST_BULLETIN_YEAR;
}

/** The period, when it is one; a 400 INVALID_PERIOD otherwise. */
export function requirePeriod(period: string): string {
  if (!isPeriod(period)) throw new DomainError('invalid', 'INVALID_PERIOD', `period must be a month YYYY-MM from ${FIRST_BULLETIN_YEAR}-01 to ${LAST_BULLETIN_YEAR}-12.`, [{ field: 'period', message: 'must be YYYY-MM' }]);
  return period;
}

/** A Beijing calendar month: `from` (its first instant) included, `to` (the next month's first instant) excluded, both UTC ISO 8601. */
export interface PeriodBounds {
  period: string;
  year: number;
  from: string;
  to: string;
}

const shift = (period: string, months: number): string => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
};

export const previousPeriod = (period: string): string => shift(period, -1);
export const nextPeriod = (period: string): string => shift(period, 1);

/** The month's bounds in Beijing time (月通报 months run 1st 00:00 to 1st 00:00, Asia/Shanghai). */
export function periodBounds(period: string): PeriodBounds {
  if (!isPeriod(period)) throw new RangeError(`not a period YYYY-MM: ${period}`);
  const start = (p: string): string => new Date(`${p}-01T00:00:00+08:00`).toISOString();
  return { period, year: Number(period.slice(0, 4)), from: start(period), to: start(nextPeriod(period)) };
}

/** The Beijing calendar month an instant falls in. */
export const periodOf = (instant: string): string => toBeijingIso(instant).slice(0, 7);

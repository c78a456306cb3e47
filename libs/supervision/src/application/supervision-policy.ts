import type { WorkingCalendar } from '@app/calendar';

/**
 * The configurable defaults of DOMAIN.md §3: the working-day calendar and how many working days a
 * unit has to sign for a task or object to it; how near a deadline turns the light yellow.
 */
export class SupervisionPolicy {
  constructor(
    readonly calendar: WorkingCalendar,
    readonly signForWorkingDays: number,
    readonly objectionWorkingDays: number,
    readonly dueSoonDays: number,
  ) {}
}

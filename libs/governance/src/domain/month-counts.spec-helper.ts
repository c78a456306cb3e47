import type { UnitMonthCounts } from './bulletin-scoring';

/** A unit with nothing in its month but what the spec gives (for the bulletin specs only). */
export const unitMonth = (unitId: string, counts: Partial<UnitMonthCounts> = {}): UnitMonthCounts => ({
  unitId,
  name: unitId,
  dueInMonth: 0,
  closedOnTime: 0,
  overdue: 0,
  sentBack: 0,
  missedProgressReports: 0,
  missedDailyReports: 0,
  incidents: 0,
  incidentPersons: 0,
  targets: [],
  findings: 0,
  ...counts,
});

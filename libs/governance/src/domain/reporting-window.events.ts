import type { DomainEvent } from '@app/shared-kernel';

/** Something a unit reports happened that day (an incident, a visit, a gathering). */
export interface ReportItem {
  summary: string;
  /** ISO 8601 UTC; null when the unit did not say. */
  occurredAt: string | null;
}

/**
 * The office opened a reporting window (敏感时期零报告): every listed unit files one report per day
 * from `from` to `to` (Beijing calendar days, YYYY-MM-DD) by `cutoff` (HH:mm Beijing time).
 */
export type ReportingWindowOpened = DomainEvent<
  'governance.reporting-window-opened.v1',
  { windowId: string; name: string; from: string; to: string; cutoff: string; unitIds: string[]; openedAt: string }
>;

/**
 * A unit's report for one day: nil (零报告, nothing to report) or with items. `late` when filed at or
 * after the day's cut-off (`cutoffAt`, UTC); a late report is still recorded, as what happened.
 */
export type DailyReportFiled = DomainEvent<
  'governance.daily-report-filed.v1',
  { windowId: string; unitId: string; date: string; nil: boolean; items: ReportItem[]; filedAt: string; cutoffAt: string; late: boolean }
>;

/** At the day's cut-off the unit had not filed (迟报/漏报): recorded once per unit and day, by the scheduler or just before a late report. */
export type DailyReportMissed = DomainEvent<'governance.daily-report-missed.v1', { windowId: string; unitId: string; date: string; cutoffAt: string; at: string }>;

export type ReportingWindowEvent = ReportingWindowOpened | DailyReportFiled | DailyReportMissed;

export const REPORTING_WINDOW_EVENT_TYPES: readonly ReportingWindowEvent['type'][] = ['governance.reporting-window-opened.v1', 'governance.daily-report-filed.v1', 'governance.daily-report-missed.v1'];

/** `governance.reporting-window-<id>`: one stream per window, holding its opening and every report and miss. */
export const reportingWindowStreamId = (windowId: string): string => `governance.reporting-window-${windowId}`;

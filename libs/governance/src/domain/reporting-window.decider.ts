import { DomainError, type Decider } from '@app/shared-kernel';
import { beijingDay, cutoffAt, dayCount, daysOf, isCalendarDay, isCutoff, MAX_WINDOW_DAYS } from './reporting-days';
import type { DailyReportMissed, ReportingWindowEvent, ReportItem } from './reporting-window.events';

/** What one listed unit did about one day: filed (when, late or not) and/or missed the cut-off. */
export interface UnitDay {
  filedAt: string | null;
  late: boolean;
  missedAt: string | null;
}

export interface ReportingWindowState {
  opened: boolean;
  windowId: string;
  name: string;
  from: string;
  to: string;
  cutoff: string;
  unitIds: string[];
  openedAt: string;
  /**
   * date → unitId → what happened; only days something happened on. Two levels so that an event
   * copies one day's entries, not the whole window's (a window may hold ~10⁴ reports).
   */
  days: Record<string, Record<string, UnitDay>>;
}

export type ReportingWindowCommand =
  | { type: 'OpenReportingWindow'; windowId: string; name: string; from: string; to: string; cutoff: string; unitIds: string[]; now: string }
  | { type: 'FileDailyReport'; windowId: string; unitId: string; date: string; nil: boolean; items: ReportItem[]; now: string }
  /** The scheduler's: record the misses of every cut-off passed by `now`, at most `limit` of them. */
  | { type: 'RecordMissedDailyReports'; windowId: string; now: string; limit: number };

type Open = Extract<ReportingWindowCommand, { type: 'OpenReportingWindow' }>;
type File = Extract<ReportingWindowCommand, { type: 'FileDailyReport' }>;
type RecordMissed = Extract<ReportingWindowCommand, { type: 'RecordMissedDailyReports' }>;

export const initialReportingWindowState: ReportingWindowState = { opened: false, windowId: '', name: '', from: '', to: '', cutoff: '', unitIds: [], openedAt: '', days: {} };

const NOTHING: UnitDay = { filedAt: null, late: false, missedAt: null };

const refuse = (code: string, message: string, field: string): DomainError => new DomainError('rule', code, message, [{ field, message }]);
const invalid = (code: string, message: string, field: string): DomainError => new DomainError('invalid', code, message, [{ field, message }]);
const at = (iso: string): number => Date.parse(iso);

export const unitDay = (state: ReportingWindowState, date: string, unitId: string): UnitDay => state.days[date]?.[unitId] ?? NOTHING;

function open(state: ReportingWindowState, command: Open): ReportingWindowEvent[] {
  if (state.opened) throw new DomainError('conflict', 'WINDOW_ALREADY_EXISTS', `The reporting window ${command.windowId} is already open.`);
  if (!isCalendarDay(command.from)) throw invalid('INVALID_DAY', 'from must be a calendar day YYYY-MM-DD.', 'from');
  if (!isCalendarDay(command.to)) throw invalid('INVALID_DAY', 'to must be a calendar day YYYY-MM-DD.', 'to');
  if (!isCutoff(command.cutoff)) throw invalid('INVALID_CUTOFF', 'cutoff must be a time of day HH:mm.', 'cutoff');
  if (command.unitIds.length === 0) throw refuse('UNITS_REQUIRED', 'A reporting window lists at least one unit that must report.', 'unitIds');
  const repeated = command.unitIds.findIndex((id, i) => command.unitIds.indexOf(id) !== i);
  if (repeated >= 0) throw refuse('DUPLICATE_UNIT', `${command.unitIds[repeated] ?? ''} is listed twice.`, `unitIds.${repeated}`);
  if (command.to < command.from) throw refuse('WINDOW_ENDS_BEFORE_START', 'to must be the same day as from or later.', 'to');
  if (dayCount(command.from, command.to) > MAX_WINDOW_DAYS) throw refuse('WINDOW_TOO_LONG', `A reporting window lasts at most ${MAX_WINDOW_DAYS} days.`, 'to');
  // A window opened on days already gone would record their misses at once: units cannot have known.
  if (at(cutoffAt(command.from, command.cutoff)) <= at(command.now)) throw refuse('WINDOW_STARTS_IN_PAST', 'The cut-off of the first day has already passed; start the window later.', 'from');
  const { windowId, name, from, to, cutoff, unitIds, now } = command;
  return [{ type: 'governance.reporting-window-opened.v1', data: { windowId, name, from, to, cutoff, unitIds, openedAt: now } }];
}

const missed = (state: ReportingWindowState, unitId: string, date: string, now: string): DailyReportMissed => ({
  type: 'governance.daily-report-missed.v1',
  data: { windowId: state.windowId, unitId, date, cutoffAt: cutoffAt(date, state.cutoff), at: now },
});

function file(state: ReportingWindowState, command: File): ReportingWindowEvent[] {
  if (!state.opened) throw new DomainError('not_found', 'WINDOW_NOT_FOUND', `There is no reporting window ${command.windowId}.`);
  const { unitId, date, nil, items, now } = command;
  if (!state.unitIds.includes(unitId)) throw new DomainError('forbidden', 'UNIT_NOT_LISTED', `Unit ${unitId} is not listed in reporting window ${state.windowId}; it files no reports there.`);
  if (!isCalendarDay(date)) throw invalid('INVALID_DAY', 'date must be a calendar day YYYY-MM-DD.', 'date');
  if (date < state.from || date > state.to) throw refuse('DATE_OUTSIDE_WINDOW', `The window runs from ${state.from} to ${state.to}; ${date} is outside it.`, 'date');
  if (date > beijingDay(now)) throw refuse('DATE_IN_FUTURE', `${date} has not begun in Beijing; a day is reported on that day or later.`, 'date');
  const day = unitDay(state, date, unitId);
  if (day.filedAt !== null) throw new DomainError('conflict', 'DAILY_REPORT_ALREADY_FILED', `Unit ${unitId} already filed its report for ${date}; one report per day.`);
  if (nil && items.length > 0) throw refuse('NIL_REPORT_WITH_ITEMS', 'A nil report (零报告) says nothing happened: send nil: false to report items.', 'items');
  if (!nil && items.length === 0) throw refuse('ITEMS_REQUIRED', 'A report that is not nil lists at least one item; send nil: true when there is nothing to report.', 'items');
  items.forEach((item, i) => {
    if (item.occurredAt !== null && at(item.occurredAt) > at(now)) throw refuse('OCCURRED_IN_FUTURE', 'An item reports what has happened: occurredAt may not be in the future.', `items.${i}.occurredAt`);
  });
  const cutoff = cutoffAt(date, state.cutoff);
  const late = at(now) >= at(cutoff);
  const filed: ReportingWindowEvent = { type: 'governance.daily-report-filed.v1', data: { windowId: state.windowId, unitId, date, nil, items, filedAt: now, cutoffAt: cutoff, late } };
  // The miss is a fact of the cut-off whether or not the scheduler got there first: record it once, before the late report.
  return late && day.missedAt === null ? [missed(state, unitId, date, now), filed] : [filed];
}

function recordMissed(state: ReportingWindowState, command: RecordMissed): ReportingWindowEvent[] {
  if (!state.opened) throw new DomainError('not_found', 'WINDOW_NOT_FOUND', `There is no reporting window ${command.windowId}.`);
  const events: ReportingWindowEvent[] = [];
  for (const date of daysOf(state.from, state.to)) {
    if (at(cutoffAt(date, state.cutoff)) > at(command.now)) break;
    for (const unitId of state.unitIds) {
      const day = unitDay(state, date, unitId);
      if (day.filedAt !== null || day.missedAt !== null) continue;
      if (events.length >= command.limit) return events;
      events.push(missed(state, unitId, date, command.now));
    }
  }
  return events;
}

function withDay(state: ReportingWindowState, date: string, unitId: string, change: Partial<UnitDay>): ReportingWindowState {
  const entries = state.days[date] ?? {};
  return { ...state, days: { ...state.days, [date]: { ...entries, [unitId]: { ...(entries[unitId] ?? NOTHING), ...change } } } };
}

export function evolveReportingWindow(state: ReportingWindowState, event: ReportingWindowEvent): ReportingWindowState {
  switch (event.type) {
    case 'governance.reporting-window-opened.v1':
      return { ...initialReportingWindowState, ...event.data, opened: true };
    case 'governance.daily-report-filed.v1':
      return withDay(state, event.data.date, event.data.unitId, { filedAt: event.data.filedAt, late: event.data.late });
    case 'governance.daily-report-missed.v1':
      return withDay(state, event.data.date, event.data.unitId, { missedAt: event.data.at });
  }
}

export const reportingWindowDecider: Decider<ReportingWindowCommand, ReportingWindowEvent, ReportingWindowState> = {
  initialState: initialReportingWindowState,
  evolve: evolveReportingWindow,
  decide(command, state) {
    switch (command.type) {
      case 'OpenReportingWindow':
        return open(state, command);
      case 'FileDailyReport':
        return file(state, command);
      case 'RecordMissedDailyReports':
        return recordMissed(state, command);
    }
  },
};

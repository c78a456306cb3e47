import { given } from '@app/testing';
import { cutoffAt, daysOf } from './reporting-days';
import { reportingWindowDecider, type ReportingWindowCommand } from './reporting-window.decider';
import { reportingWindowStreamId, type DailyReportFiled, type DailyReportMissed, type ReportingWindowEvent, type ReportingWindowOpened } from './reporting-window.events';

type Open = Extract<ReportingWindowCommand, { type: 'OpenReportingWindow' }>;
type File = Extract<ReportingWindowCommand, { type: 'FileDailyReport' }>;
type RecordMissed = Extract<ReportingWindowCommand, { type: 'RecordMissedDailyReports' }>;

/** 2026-03-04 10:00 in Beijing, the day before the window opens. */
const OPENED_AT = '2026-03-04T02:00:00.000Z';
const open = (overrides: Partial<Open> = {}): Open => ({
  type: 'OpenReportingWindow',
  windowId: 'w1',
  name: '全国两会期间零报告',
  from: '2026-03-05',
  to: '2026-03-09',
  cutoff: '17:00',
  unitIds: ['chuanshan', 'anju'],
  now: OPENED_AT,
  ...overrides,
});
const opened: ReportingWindowOpened = {
  type: 'governance.reporting-window-opened.v1',
  data: { windowId: 'w1', name: '全国两会期间零报告', from: '2026-03-05', to: '2026-03-09', cutoff: '17:00', unitIds: ['chuanshan', 'anju'], openedAt: OPENED_AT },
};
/** 17:00 Beijing on 5 March is 09:00 UTC. */
const CUTOFF_5 = '2026-03-05T09:00:00.000Z';
const file = (overrides: Partial<File> = {}): File => ({ type: 'FileDailyReport', windowId: 'w1', unitId: 'chuanshan', date: '2026-03-05', nil: true, items: [], now: '2026-03-05T08:00:00.000Z', ...overrides });
const filed = (data: Partial<DailyReportFiled['data']> = {}): DailyReportFiled => ({
  type: 'governance.daily-report-filed.v1',
  data: { windowId: 'w1', unitId: 'chuanshan', date: '2026-03-05', nil: true, items: [], filedAt: '2026-03-05T08:00:00.000Z', cutoffAt: CUTOFF_5, late: false, ...data },
});
const missed = (unitId: string, date: string, at: string): DailyReportMissed => ({ type: 'governance.daily-report-missed.v1', data: { windowId: 'w1', unitId, date, cutoffAt: cutoffAt(date, '17:00'), at } });
const check = (now: string, limit = 1000): RecordMissed => ({ type: 'RecordMissedDailyReports', windowId: 'w1', now, limit });
const scenario = (history: ReportingWindowEvent[]) => given(reportingWindowDecider, history);

describe('reporting windows (敏感时期零报告)', () => {
  it('opens a window once, in its own stream', () => {
    expect(reportingWindowStreamId('w1')).toBe('governance.reporting-window-w1');
    scenario([]).when(open()).then([opened]);
    scenario([opened]).when(open()).refuses('WINDOW_ALREADY_EXISTS', 'conflict');
  });

  it('lists at least one unit, each once', () => {
    scenario([]).when(open({ unitIds: [] })).refuses('UNITS_REQUIRED', 'rule');
    scenario([]).when(open({ unitIds: ['chuanshan', 'anju', 'chuanshan'] })).refuses('DUPLICATE_UNIT', 'rule');
  });

  it('runs from a day to the same day or later, for at most 92 days', () => {
    scenario([]).when(open({ to: '2026-03-04' })).refuses('WINDOW_ENDS_BEFORE_START', 'rule');
    scenario([]).when(open({ to: '2026-03-05' })).then([{ ...opened, data: { ...opened.data, to: '2026-03-05' } }]);
    expect(daysOf('2026-03-05', '2026-06-04')).toHaveLength(92);
    scenario([]).when(open({ to: '2026-06-04' })).then([{ ...opened, data: { ...opened.data, to: '2026-06-04' } }]);
    scenario([]).when(open({ to: '2026-06-05' })).refuses('WINDOW_TOO_LONG', 'rule');
  });

  it('starts on a day whose cut-off is still ahead: today before 17:00 Beijing, not after', () => {
    scenario([]).when(open({ from: '2026-03-04', now: '2026-03-04T08:59:59.999Z' })).then([{ ...opened, data: { ...opened.data, from: '2026-03-04', openedAt: '2026-03-04T08:59:59.999Z' } }]);
    scenario([]).when(open({ from: '2026-03-04', now: '2026-03-04T09:00:00.000Z' })).refuses('WINDOW_STARTS_IN_PAST', 'rule');
    scenario([]).when(open({ from: '2026-03-01' })).refuses('WINDOW_STARTS_IN_PAST', 'rule');
  });

  it('takes dates as real calendar days and the cut-off as HH:mm', () => {
    scenario([]).when(open({ from: '2026-02-30' })).refuses('INVALID_DAY', 'invalid');
    scenario([]).when(open({ to: '2026-3-9' })).refuses('INVALID_DAY', 'invalid');
    scenario([]).when(open({ cutoff: '24:00' })).refuses('INVALID_CUTOFF', 'invalid');
    scenario([]).when(open({ cutoff: '9:30' })).refuses('INVALID_CUTOFF', 'invalid');
  });

  it('records a nil report or one with items, on time before the cut-off in Beijing time', () => {
    scenario([opened]).when(file()).then([filed()]);
    const items = [{ summary: '12 人到区政府集体访，已劝返', occurredAt: '2026-03-05T01:30:00.000Z' }, { summary: '网上舆情 1 起', occurredAt: null }];
    scenario([opened]).when(file({ nil: false, items })).then([filed({ nil: false, items })]);
    // 16:59:59 Beijing: still on time.
    scenario([opened]).when(file({ now: '2026-03-05T08:59:59.999Z' })).then([filed({ filedAt: '2026-03-05T08:59:59.999Z' })]);
  });

  it('accepts a report at or after the cut-off as late, recording the miss first unless the scheduler already did', () => {
    scenario([opened]).when(file({ now: CUTOFF_5 })).then([missed('chuanshan', '2026-03-05', CUTOFF_5), filed({ filedAt: CUTOFF_5, late: true })]);
    const evening = '2026-03-05T12:00:00.000Z';
    scenario([opened, missed('chuanshan', '2026-03-05', CUTOFF_5)]).when(file({ now: evening })).then([filed({ filedAt: evening, late: true })]);
    // A past day of the window may still be reported, late.
    const later = '2026-03-07T02:00:00.000Z';
    scenario([opened, missed('chuanshan', '2026-03-05', CUTOFF_5)]).when(file({ now: later })).then([filed({ filedAt: later, late: true })]);
  });

  it('takes one report per unit and day, refusing the second even after a late first', () => {
    scenario([opened, filed()]).when(file({ nil: false, items: [{ summary: '补报', occurredAt: null }] })).refuses('DAILY_REPORT_ALREADY_FILED', 'conflict');
    scenario([opened, missed('chuanshan', '2026-03-05', CUTOFF_5), filed({ late: true })]).when(file({ now: '2026-03-06T01:00:00.000Z' })).refuses('DAILY_REPORT_ALREADY_FILED', 'conflict');
    scenario([opened, filed()]).when(file({ unitId: 'anju' })).then([filed({ unitId: 'anju' })]);
    const nextDay = '2026-03-06T02:00:00.000Z';
    scenario([opened, filed()]).when(file({ date: '2026-03-06', now: nextDay })).then([filed({ date: '2026-03-06', filedAt: nextDay, cutoffAt: '2026-03-06T09:00:00.000Z' })]);
  });

  it('refuses days outside the window and days not yet begun in Beijing', () => {
    scenario([opened]).when(file({ date: '2026-03-04', now: '2026-03-04T03:00:00.000Z' })).refuses('DATE_OUTSIDE_WINDOW', 'rule');
    scenario([opened]).when(file({ date: '2026-03-10', now: '2026-03-10T03:00:00.000Z' })).refuses('DATE_OUTSIDE_WINDOW', 'rule');
    scenario([opened]).when(file({ date: '2026-03-06' })).refuses('DATE_IN_FUTURE', 'rule');
    // 23:59 on 5 March in Beijing: the 6th has not begun; 00:30 on the 6th it has, though UTC still says the 5th.
    scenario([opened]).when(file({ date: '2026-03-06', now: '2026-03-05T15:59:00.000Z' })).refuses('DATE_IN_FUTURE', 'rule');
    scenario([opened]).when(file({ date: '2026-03-06', now: '2026-03-05T16:30:00.000Z' })).then([filed({ date: '2026-03-06', filedAt: '2026-03-05T16:30:00.000Z', cutoffAt: '2026-03-06T09:00:00.000Z' })]);
    scenario([opened]).when(file({ date: '2026-02-31' })).refuses('INVALID_DAY', 'invalid');
  });

  it('lets only listed units report, into a window that exists', () => {
    scenario([opened]).when(file({ unitId: 'zhujian' })).refuses('UNIT_NOT_LISTED', 'forbidden');
    scenario([]).when(file()).refuses('WINDOW_NOT_FOUND', 'not_found');
  });

  it('refuses a nil report with items and a report that is neither nil nor has items', () => {
    scenario([opened]).when(file({ nil: true, items: [{ summary: '集体访', occurredAt: null }] })).refuses('NIL_REPORT_WITH_ITEMS', 'rule');
    scenario([opened]).when(file({ nil: false, items: [] })).refuses('ITEMS_REQUIRED', 'rule');
    scenario([opened]).when(file({ nil: false, items: [{ summary: '集体访', occurredAt: '2026-03-05T09:00:00.000Z' }] })).refuses('OCCURRED_IN_FUTURE', 'rule');
  });

  it('records a miss for each listed unit that has not filed when a day’s cut-off passes, once', () => {
    scenario([opened]).when(check('2026-03-05T08:59:59.999Z')).then([]);
    scenario([opened]).when(check(CUTOFF_5)).then([missed('chuanshan', '2026-03-05', CUTOFF_5), missed('anju', '2026-03-05', CUTOFF_5)]);
    scenario([opened, filed()]).when(check(CUTOFF_5)).then([missed('anju', '2026-03-05', CUTOFF_5)]);
    scenario([opened, filed(), missed('anju', '2026-03-05', CUTOFF_5)]).when(check('2026-03-05T12:00:00.000Z')).then([]);
    scenario([opened, missed('chuanshan', '2026-03-05', CUTOFF_5), filed({ late: true }), missed('anju', '2026-03-05', CUTOFF_5)]).when(check('2026-03-06T08:00:00.000Z')).then([]);
  });

  it('catches up on every passed cut-off in day order, a bounded number at a time, never past the last day', () => {
    const now = '2026-03-07T10:00:00.000Z';
    const all = ['2026-03-05', '2026-03-06', '2026-03-07'].flatMap((d) => [missed('chuanshan', d, now), missed('anju', d, now)]);
    scenario([opened]).when(check(now)).then(all);
    scenario([opened]).when(check(now, 3)).then(all.slice(0, 3));
    scenario([opened, ...all.slice(0, 3)]).when(check(now, 3)).then(all.slice(3));
    const afterward = '2026-03-20T10:00:00.000Z';
    expect(reportingWindowDecider.decide(check(afterward), reportingWindowDecider.evolve(reportingWindowDecider.initialState, opened))).toHaveLength(10);
    scenario([]).when(check(now)).refuses('WINDOW_NOT_FOUND', 'not_found');
  });
});

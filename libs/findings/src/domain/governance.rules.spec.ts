import { findingIdFor, type FindingDetected } from './finding.events';
import { contradictionKey, dailyReportMissed, governanceFindings, isGovernanceTrigger, lateIncidentReport, nilReportContradicted, recommendationUnanswered, rectificationOverdue } from './governance.rules';
import { DEFAULT_FINDING_POLICY, type HistoryActor, type HistoryEvent, type Term } from './task-history';

const OFFICE: HistoryActor = { personId: 'p-wf', name: '王芳', unitId: 'office', roles: ['office'] };
const UNIT: HistoryActor = { personId: 'p-lw', name: '刘伟', unitId: 'cs', roles: ['unit'] };
const SYSTEM: HistoryActor = { personId: 'system', name: 'system', unitId: null, roles: [] };

let seq = 0;
function ev(type: string, data: Record<string, unknown>, actor: HistoryActor = OFFICE): HistoryEvent {
  seq += 1;
  return { eventId: `e-${seq}`, type: `governance.${type}.v1`, data, actor, recordedAt: '2026-03-01T00:00:00.000Z' };
}
/** `hh`:`mm` Beijing time on 2026-03-`day`, as UTC ISO. */
const bj = (day: number, hh: number, mm = 0): string => new Date(Date.UTC(2026, 2, day, hh - 8, mm)).toISOString();

/** Zhang was primary leader of cs until 5 March 12:00 Beijing; Wang from then on. Li handles; Zhao holds the portfolio. */
const TERMS: Term[] = [
  { unitId: 'cs', personId: 'p-zhang', name: '张伟', post: 'primary_leader', from: bj(1, 0), to: bj(5, 12) },
  { unitId: 'cs', personId: 'p-wang', name: '王强', post: 'primary_leader', from: bj(5, 12), to: null },
  { unitId: 'cs', personId: 'p-li', name: '李娜', post: 'handler', from: bj(1, 0), to: null },
  { unitId: 'cs', personId: 'p-zhao', name: '赵敏', post: 'portfolio_leader', from: bj(1, 0), to: null },
  { unitId: 'hd', personId: 'p-wu', name: '吴海峰', post: 'primary_leader', from: bj(1, 0), to: null },
];

const input = (events: HistoryEvent[], now: string, policy = DEFAULT_FINDING_POLICY) => ({ events, terms: TERMS, now, policy });
const roles = (f: FindingDetected | undefined): string[] => (f?.data.people ?? []).map((p) => `${p.role}:${p.personId}`).sort();

const opened = (): HistoryEvent => ev('reporting-window-opened', { windowId: 'w-1', name: '两会', from: '2026-03-04', to: '2026-03-08', cutoff: '17:00', unitIds: ['cs', 'hd'], openedAt: bj(3, 10) });
const missed = (unitId: string, day: number): HistoryEvent => ev('daily-report-missed', { windowId: 'w-1', unitId, date: `2026-03-0${day}`, cutoffAt: bj(day, 17), at: bj(day, 17) }, SYSTEM);
const nilReport = (unitId: string, day: number, filedAt = bj(day, 9)): HistoryEvent =>
  ev('daily-report-filed', { windowId: 'w-1', unitId, date: `2026-03-0${day}`, nil: true, items: [], filedAt, cutoffAt: bj(day, 17), late: false }, UNIT);
const incident = (id: string, unitId: string, occurredAt: string, reportedAt: string): HistoryEvent =>
  ev('incident-recorded', { incidentId: id, unitId, kind: 'collective_visit', persons: 12, occurredAt, reportedAt, year: 2026, summary: '集体访', recordedAt: reportedAt });

describe('daily_report_missed', () => {
  it('is one finding per unit and day, naming the unit’s people in post at that day’s cut-off, with the window’s opening and the miss as evidence', () => {
    const window = opened();
    const day4 = missed('cs', 4);
    const day5 = missed('cs', 5);
    const found = dailyReportMissed(input([window, day4, day5], bj(6, 0)));
    expect(found.map((f) => f.data.findingId)).toEqual([findingIdFor('daily_report_missed', 'w-1', 'cs|2026-03-04'), findingIdFor('daily_report_missed', 'w-1', 'cs|2026-03-05')]);
    expect(found[0]?.data).toMatchObject({ rule: 'daily_report_missed', taskId: null, caseId: null, unitId: 'cs', at: bj(4, 17), evidence: [window.eventId, day4.eventId] });
    expect(roles(found[0])).toEqual(['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-zhang']);
    // 5 March 17:00: Wang had taken over at noon.
    expect(roles(found[1])).toEqual(['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-wang']);
  });

  it('finds nothing where no miss was recorded: a report filed (on time) is no finding', () => {
    expect(dailyReportMissed(input([opened(), nilReport('cs', 4)], bj(6, 0)))).toEqual([]);
  });
});

describe('late_incident_report', () => {
  it('is found when reported more than 24 h after it occurred, naming the people in post when the report fell due', () => {
    const late = incident('i-late', 'cs', bj(4, 11), bj(5, 11, 1));
    const [found, ...more] = lateIncidentReport(input([late], bj(6, 0)));
    expect(more).toEqual([]);
    expect(found?.data).toMatchObject({ rule: 'late_incident_report', findingId: findingIdFor('late_incident_report', 'i-late', bj(5, 11, 1)), unitId: 'cs', at: bj(5, 11), evidence: [late.eventId] });
    // Due 5 March 11:00, before Wang took over at noon.
    expect(roles(found)).toEqual(['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-zhang']);
  });

  it('finds nothing for an incident reported within 24 h, exactly at 24 h included', () => {
    expect(lateIncidentReport(input([incident('i-1', 'cs', bj(4, 11), bj(4, 20)), incident('i-2', 'cs', bj(4, 11), bj(5, 11))], bj(6, 0)))).toEqual([]);
  });

  it('takes the threshold from the policy', () => {
    const sixHours = incident('i-6h', 'cs', bj(4, 8), bj(4, 15));
    expect(lateIncidentReport(input([sixHours], bj(6, 0)))).toEqual([]);
    expect(lateIncidentReport(input([sixHours], bj(6, 0), { ...DEFAULT_FINDING_POLICY, lateIncidentHours: 6 })).map((f) => f.data.at)).toEqual([bj(4, 14)]);
  });
});

describe('nil_report_contradicted', () => {
  it('pairs a nil report with an incident of the same unit on that Beijing day, recorded before or after it, naming the filer', () => {
    const report = nilReport('cs', 4, bj(4, 16));
    // 00:30 Beijing on 4 March is still 3 March in UTC: the Beijing day counts.
    const early = incident('i-early', 'cs', bj(4, 0, 30), bj(4, 1));
    const later = incident('i-later', 'cs', bj(4, 22), bj(6, 9));
    const found = nilReportContradicted(input([early, report, later], bj(7, 0)));
    expect(found.map((f) => f.data.findingId)).toEqual([findingIdFor('nil_report_contradicted', 'w-1|cs|2026-03-04', 'i-early'), findingIdFor('nil_report_contradicted', 'w-1|cs|2026-03-04', 'i-later')]);
    expect(found[1]?.data).toMatchObject({ rule: 'nil_report_contradicted', unitId: 'cs', at: bj(4, 16), evidence: [report.eventId, later.eventId] });
    expect(roles(found[1])).toEqual(['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-zhang', 'reporter:p-lw']);
  });

  it('finds nothing for a nil report on a day without incidents of that unit, nor for a report that is not nil', () => {
    const otherDay = incident('i-5', 'cs', bj(5, 0, 1), bj(5, 2));
    const dayBefore = incident('i-3', 'cs', bj(3, 23, 59), bj(4, 1));
    const otherUnit = incident('i-hd', 'hd', bj(4, 10), bj(4, 11));
    expect(nilReportContradicted(input([nilReport('cs', 4), otherDay, dayBefore, otherUnit], bj(7, 0)))).toEqual([]);
    const withItems = ev('daily-report-filed', { windowId: 'w-1', unitId: 'cs', date: '2026-03-04', nil: false, items: [{ summary: '集体访', occurredAt: bj(4, 10) }], filedAt: bj(4, 12) }, UNIT);
    expect(nilReportContradicted(input([withItems, incident('i-4', 'cs', bj(4, 10), bj(4, 11))], bj(7, 0)))).toEqual([]);
  });

  it('keys incidents and nil reports by unit and Beijing day, and leaves other reports out of the triggers', () => {
    expect(contradictionKey(incident('i', 'cs', bj(4, 0, 30), bj(4, 1)))).toEqual({ unitId: 'cs', day: '2026-03-04' });
    expect(contradictionKey(nilReport('hd', 5))).toEqual({ unitId: 'hd', day: '2026-03-05' });
    const withItems = ev('daily-report-filed', { windowId: 'w-1', unitId: 'cs', date: '2026-03-04', nil: false, items: [{ summary: 'x' }] });
    expect([withItems, nilReport('cs', 4), missed('cs', 4), opened()].map(isGovernanceTrigger)).toEqual([false, true, true, false]);
  });
});

const recommendation = (dueAt: string): HistoryEvent =>
  ev('recommendation-made', { recommendationId: 'r-1', unitId: 'cs', kind: 'improve_work', text: '完善接访制度', answerDueAt: dueAt, madeAt: bj(1, 10) });
const answer = (answeredAt: string): HistoryEvent => ev('recommendation-answered', { recommendationId: 'r-1', unitId: 'cs', text: '已完善', adopted: true, answeredAt, answerDueAt: bj(5, 18), late: false }, UNIT);

describe('recommendation_unanswered', () => {
  it('is found once the deadline passed with no answer, naming the unit’s people in post at the deadline', () => {
    const made = recommendation(bj(5, 18));
    expect(recommendationUnanswered(input([made], bj(5, 18)))).toEqual([]);
    const [found] = recommendationUnanswered(input([made], bj(5, 18, 1)));
    expect(found?.data).toMatchObject({ rule: 'recommendation_unanswered', findingId: findingIdFor('recommendation_unanswered', 'r-1', bj(5, 18)), unitId: 'cs', at: bj(5, 18), evidence: [made.eventId] });
    expect(roles(found)).toEqual(['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-wang']);
  });

  it('stays found when the answer came after the deadline, citing it', () => {
    const made = recommendation(bj(5, 18));
    const late = answer(bj(6, 9));
    const [found] = recommendationUnanswered(input([made, late], bj(7, 0)));
    expect(found?.data.evidence).toEqual([made.eventId, late.eventId]);
    expect(found?.data.findingId).toBe(findingIdFor('recommendation_unanswered', 'r-1', bj(5, 18)));
  });

  it('finds nothing when answered by the deadline', () => {
    expect(recommendationUnanswered(input([recommendation(bj(5, 18)), answer(bj(5, 18))], bj(9, 0)))).toEqual([]);
  });
});

const interview = (dueAt: string): HistoryEvent =>
  ev('interview-recorded', { interviewId: 'iv-1', unitId: 'cs', personIds: ['p-wang', 'p-guest'], reason: '连续两次通报排名末位', findingIds: [], rectificationDueAt: dueAt, recordedAt: bj(1, 10) });
const rectified = (reportedAt: string): HistoryEvent => ev('rectification-reported', { interviewId: 'iv-1', unitId: 'cs', note: '已整改', reportedAt, rectificationDueAt: bj(6, 18), late: false }, UNIT);

describe('rectification_overdue', () => {
  it('is found once the rectification deadline passed unreported, naming the people in post and those interviewed', () => {
    const recorded = interview(bj(6, 18));
    expect(rectificationOverdue(input([recorded], bj(6, 18)))).toEqual([]);
    const [found] = rectificationOverdue(input([recorded], bj(7, 9)));
    expect(found?.data).toMatchObject({ rule: 'rectification_overdue', findingId: findingIdFor('rectification_overdue', 'iv-1', bj(6, 18)), unitId: 'cs', at: bj(6, 18), evidence: [recorded.eventId] });
    expect(roles(found)).toEqual(['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-wang', 'subject:p-guest', 'subject:p-wang']);
    expect(found?.data.people.find((p) => p.role === 'subject' && p.personId === 'p-wang')?.name).toBe('王强');
  });

  it('stays found when rectified late, and finds nothing when rectified in time', () => {
    const recorded = interview(bj(6, 18));
    const late = rectified(bj(7, 8));
    expect(rectificationOverdue(input([recorded, late], bj(8, 0)))[0]?.data.evidence).toEqual([recorded.eventId, late.eventId]);
    expect(rectificationOverdue(input([recorded, rectified(bj(6, 17))], bj(9, 0)))).toEqual([]);
  });
});

describe('governance findings together', () => {
  it('give each finding once when the same events are judged from two sides', () => {
    const report = nilReport('cs', 4);
    const seen = incident('i-x', 'cs', bj(4, 10), bj(4, 11));
    const found = governanceFindings(input([report, seen, report, seen], bj(7, 0)));
    expect(found.map((f) => f.data.rule)).toEqual(['nil_report_contradicted']);
  });
});

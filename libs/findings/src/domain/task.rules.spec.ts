import { findingIdFor, type FindingDetected } from './finding.events';
import { DEFAULT_FINDING_POLICY, type HistoryActor, type HistoryEvent, type Term } from './task-history';
import { lateObjection, listedStillOverdue, overdueNotSupervised, progressReportMissed, reopenedAfterClosure, signForMissed, taskFindings, taskOverdue } from './task.rules';

const OFFICE: HistoryActor = { personId: 'p-wf', name: '王芳', unitId: 'office', roles: ['office'] };
const OFFICE_LEAD: HistoryActor = { personId: 'p-zl', name: '周磊', unitId: 'office', roles: ['office_lead'] };
const UNIT: HistoryActor = { personId: 'p-lw', name: '刘伟', unitId: 'cs', roles: ['unit'] };
const SYSTEM: HistoryActor = { personId: 'system', name: 'system', unitId: null, roles: [] };

let seq = 0;
function ev(type: string, data: Record<string, unknown>, actor: HistoryActor = OFFICE): HistoryEvent {
  seq += 1;
  return { eventId: `e-${seq}`, type: `supervision.${type}.v1`, data: { taskId: 't-1', ...data }, actor, recordedAt: String(data.at ?? data.issuedAt ?? '2026-01-01T00:00:00.000Z') };
}
const d = (day: number, hour = 0): string => new Date(Date.UTC(2026, 0, day, hour)).toISOString();

const issued = (): HistoryEvent =>
  ev('task-issued', { leadUnitId: 'cs', coUnitIds: ['co'], dueAt: d(10), signForDueAt: d(2), objectionDueAt: d(6), issuedAt: d(1), caseLeader: { personId: 'p-case', name: '包案' } });
const signedFor = (unitId = 'cs'): HistoryEvent => ev('task-signed-for', { unitId, by: { personId: 'p-lw', name: '刘伟' }, at: d(1, 5) }, UNIT);
const overdue = (dueAt = d(10), at = d(10, 1)): HistoryEvent => ev('task-overdue', { dueAt, at }, SYSTEM);

/** Zhang was primary leader until day 12; Wang from then on. Li handles; Zhao holds the portfolio. */
const TERMS: Term[] = [
  { unitId: 'cs', personId: 'p-zhang', name: '张伟', post: 'primary_leader', from: d(1), to: d(12) },
  { unitId: 'cs', personId: 'p-wang', name: '王强', post: 'primary_leader', from: d(12), to: null },
  { unitId: 'cs', personId: 'p-li', name: '李娜', post: 'handler', from: d(1), to: null },
  { unitId: 'cs', personId: 'p-zhao', name: '赵敏', post: 'portfolio_leader', from: d(1), to: null },
  { unitId: 'co', personId: 'p-co', name: '陈晨', post: 'handler', from: d(1), to: null },
];

const input = (events: HistoryEvent[], now: string) => ({ taskId: 't-1', events, terms: TERMS, now, policy: DEFAULT_FINDING_POLICY });
const roles = (f: FindingDetected | undefined): string[] => (f?.data.people ?? []).map((p) => `${p.role}:${p.personId}`).sort();

describe('task_overdue', () => {
  it('names the case leader in charge at the deadline: a change before it counts, one after it does not', () => {
    const before = ev('case-leader-changed', { previous: { personId: 'p-case', name: '包案' }, caseLeader: { personId: 'p-yang', name: '杨志远' }, reason: '调整', at: d(8) });
    const after = ev('case-leader-changed', { previous: { personId: 'p-yang', name: '杨志远' }, caseLeader: { personId: 'p-guo', name: '郭峰' }, reason: '调整', at: d(10, 12) });
    const [found] = taskOverdue(input([issued(), signedFor(), before, after, overdue(d(10), d(11))], d(20)));
    expect(roles(found).filter((r) => r.startsWith('case_leader'))).toEqual(['case_leader:p-yang']);
    expect(found?.data.evidence).toContain(before.eventId);
    expect(found?.data.evidence).not.toContain(after.eventId);
  });

  it('names the unit’s people in post at the deadline (not today’s), the case leader and the signer, with the events as evidence', () => {
    const events = [issued(), signedFor(), overdue()];
    const [found, ...more] = taskOverdue(input(events, d(20)));
    expect(more).toEqual([]);
    expect(found?.data).toMatchObject({ rule: 'task_overdue', taskId: 't-1', unitId: 'cs', at: d(10), detectedAt: d(20), evidence: events.map((e) => e.eventId) });
    expect(roles(found)).toEqual(['case_leader:p-case', 'handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-zhang', 'signer:p-lw']);
  });

  it('holds the unit to the extended deadline and cites the extension decision', () => {
    const extension = ev('extension-decided', { approve: true, previousDueAt: d(10), dueAt: d(13), at: d(8) }, OFFICE_LEAD);
    const events = [issued(), signedFor(), extension, overdue(d(13), d(13, 1))];
    const [found] = taskOverdue(input(events, d(20)));
    expect(found?.data.at).toBe(d(13));
    expect(found?.data.evidence).toContain(extension.eventId);
    // By day 13 Wang had become primary leader.
    expect(roles(found)).toContain('primary_leader:p-wang');
    expect(roles(found)).not.toContain('primary_leader:p-zhang');
  });

  it('is one finding per deadline, with the same id however often it is computed', () => {
    const events = [issued(), signedFor(), overdue()];
    const first = taskFindings(input(events, d(11))).filter((f) => f.data.rule === 'task_overdue');
    const again = taskFindings(input(events, d(30))).filter((f) => f.data.rule === 'task_overdue');
    expect(first.map((f) => f.data.findingId)).toEqual([findingIdFor('task_overdue', 't-1', d(10))]);
    expect(again.map((f) => f.data.findingId)).toEqual(first.map((f) => f.data.findingId));
  });

  it('finds nothing for a task that was never overdue', () => {
    expect(taskOverdue(input([issued(), signedFor()], d(30)))).toEqual([]);
  });
});

describe('sign_for_missed', () => {
  it('is one finding per unit that did not sign, naming who was in post at the sign-for deadline', () => {
    const missed = ev('sign-for-missed', { unitIds: ['cs', 'co'], signForDueAt: d(2), at: d(2, 1) }, SYSTEM);
    const found = signForMissed(input([issued(), missed], d(3)));
    expect(found.map((f) => f.data.unitId)).toEqual(['cs', 'co']);
    expect(roles(found[1])).toEqual(['handler:p-co']);
    expect(found[0]?.data.evidence).toContain(missed.eventId);
    expect(new Set(found.map((f) => f.data.findingId)).size).toBe(2);
  });
});

describe('late_objection', () => {
  it('flags an objection recorded after the objection deadline (history the decider would refuse today)', () => {
    const late = ev('objection-raised', { unitId: 'cs', reason: 'not ours', by: { personId: 'p-lw', name: '刘伟' }, at: d(7) }, UNIT);
    const [found, ...more] = lateObjection(input([issued(), late], d(8)));
    expect(more).toEqual([]);
    expect(found?.data).toMatchObject({ rule: 'late_objection', unitId: 'cs', at: d(7) });
    expect(roles(found)).toContain('objector:p-lw');
  });

  it('leaves an objection in time alone', () => {
    const inTime = ev('objection-raised', { unitId: 'cs', reason: 'not ours', by: { personId: 'p-lw', name: '刘伟' }, at: d(5) }, UNIT);
    expect(lateObjection(input([issued(), inTime], d(8)))).toEqual([]);
  });
});

describe('progress_report_missed', () => {
  it('is one finding per missed report, naming who was in post when it was due', () => {
    const missed = [ev('progress-report-missed', { unitId: 'cs', dueAt: d(8), at: d(8, 1) }, SYSTEM), ev('progress-report-missed', { unitId: 'cs', dueAt: d(15), at: d(15, 1) }, SYSTEM)];
    const found = progressReportMissed(input([issued(), signedFor(), ...missed], d(16)));
    expect(found.map((f) => f.data.at)).toEqual([d(8), d(15)]);
    expect(roles(found[0])).toContain('primary_leader:p-zhang');
    expect(roles(found[1])).toContain('primary_leader:p-wang');
  });
});

describe('overdue_not_supervised', () => {
  it('names the office actors when nobody reminded or escalated within 2 days of the deadline', () => {
    const events = [issued(), signedFor(), overdue()];
    expect(overdueNotSupervised(input(events, d(11, 23)))).toEqual([]);
    const [found] = overdueNotSupervised(input(events, d(12, 0)));
    expect(found?.data).toMatchObject({ rule: 'overdue_not_supervised', at: d(12, 0), unitId: 'office' });
    expect(roles(found)).toEqual(['office:p-wf']);
  });

  it('finds nothing when the office reminded within 2 days', () => {
    const events = [issued(), signedFor(), overdue(), ev('reminder-sent', { message: '请抓紧', by: { personId: 'p-wf', name: '王芳' }, at: d(11, 12) })];
    expect(overdueNotSupervised(input(events, d(30)))).toEqual([]);
  });

  it('counts from the deadline even when the overdue event was recorded days later, and a reminder before that recording counts', () => {
    const late = overdue(d(10), d(13));
    expect(overdueNotSupervised(input([issued(), signedFor(), late], d(13)))[0]?.data).toMatchObject({ at: d(12) });
    const reminded = ev('reminder-sent', { message: '请抓紧', by: { personId: 'p-wf', name: '王芳' }, at: d(11) });
    expect(overdueNotSupervised(input([issued(), signedFor(), reminded, late], d(30)))).toEqual([]);
  });

  it('still finds the failure when the reminder came only after the window', () => {
    const events = [issued(), signedFor(), overdue(), ev('reminder-sent', { message: '请抓紧', by: { personId: 'p-wf', name: '王芳' }, at: d(13) })];
    expect(overdueNotSupervised(input(events, d(30)))).toHaveLength(1);
  });
});

describe('reopened_after_closure', () => {
  it('names the lead unit’s people in post at the sign-off and the completion reporter', () => {
    const completion = ev('completion-reported', { summary: 'done', by: { personId: 'p-sun', name: '孙杰' }, at: d(9) }, { ...UNIT, personId: 'p-sun', roles: ['unit_lead'] });
    const accepted = ev('completion-reviewed', { decision: 'accept', reason: 'ok', at: d(9, 2) });
    const signedOff = ev('task-signed-off', { dueAt: d(10), onTime: true, at: d(9, 5) }, OFFICE_LEAD);
    const reopened = ev('task-reopened', { reason: '重复信访', previousDueAt: d(10), dueAt: d(25), at: d(14) });
    const [found, ...more] = reopenedAfterClosure(input([issued(), signedFor(), completion, accepted, signedOff, reopened], d(14)));
    expect(more).toEqual([]);
    expect(found?.data).toMatchObject({ rule: 'reopened_after_closure', unitId: 'cs', at: d(9, 5), evidence: [completion.eventId, accepted.eventId, signedOff.eventId, reopened.eventId] });
    expect(roles(found)).toEqual(['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-zhang', 'reporter:p-sun']);
  });
});

describe('listed_still_overdue', () => {
  const red = (): HistoryEvent => ev('task-escalated', { from: 'none', level: 'red', reason: 'x', at: d(11) });

  it('is found 7 days after a red escalation while the task is still overdue', () => {
    const events = [issued(), signedFor(), overdue(), red()];
    expect(listedStillOverdue(input(events, d(17, 23)))).toEqual([]);
    const [found] = listedStillOverdue(input(events, d(18)));
    expect(found?.data).toMatchObject({ rule: 'listed_still_overdue', unitId: 'cs', at: d(18) });
    expect(roles(found)).toContain('primary_leader:p-wang');
  });

  it('is not found when the unit reported completion within the 7 days, nor for a blue escalation', () => {
    const done = ev('completion-reported', { summary: 'done', by: { personId: 'p-sun', name: '孙杰' }, at: d(15) }, UNIT);
    expect(listedStillOverdue(input([issued(), signedFor(), overdue(), red(), done], d(30)))).toEqual([]);
    const blue = ev('task-escalated', { from: 'none', level: 'blue', reason: 'x', at: d(11) });
    expect(listedStillOverdue(input([issued(), signedFor(), overdue(), blue], d(30)))).toEqual([]);
  });
});

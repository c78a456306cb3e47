import { evolveTask, initialTaskState, type TaskEvent, type TaskState } from '@app/supervision';
import { boardEntry } from './task.view';

const T0 = '2026-03-02T02:00:00.000Z';
const DUE = '2026-03-31T16:00:00.000Z';
const by = { personId: 'p', name: '某人' };
const issued: TaskEvent = {
  type: 'supervision.task-issued.v1',
  data: {
    taskId: 't1',
    title: '烂尾楼化解',
    description: '推进复工',
    source: { kind: 'other', ref: null },
    leadUnitId: 'lead',
    coUnitIds: ['co'],
    dueAt: DUE,
    signForDueAt: '2026-03-03T16:00:00.000Z',
    signForBasis: { rule: 'r', calendar: 'c' },
    objectionDueAt: '2026-03-09T16:00:00.000Z',
    objectionBasis: { rule: 'r', calendar: 'c' },
    reportEveryDays: 7,
    caseLeader: null,
    plan: null,
    issuedAt: T0,
  },
};
const signedBy = (unitId: string): TaskEvent => ({ type: 'supervision.task-signed-for.v1', data: { taskId: 't1', unitId, by, at: '2026-03-03T01:00:00.000Z' } });
const approaching: TaskEvent = { type: 'supervision.deadline-approaching.v1', data: { taskId: 't1', dueAt: DUE, at: '2026-03-28T16:00:00.000Z' } };
const overdue: TaskEvent = { type: 'supervision.task-overdue.v1', data: { taskId: 't1', dueAt: DUE, at: '2026-03-31T16:00:00.000Z' } };
const completed: TaskEvent = { type: 'supervision.completion-reported.v1', data: { taskId: 't1', summary: '已办结', evidence: null, by, at: '2026-03-20T01:00:00.000Z' } };

const stateAfter = (events: TaskEvent[]): TaskState => events.reduce(evolveTask, initialTaskState);

describe('a task’s board entry (what the unit board shows, worked out when the task changes)', () => {
  it('summarises the task in Beijing time and lists who still owes a signature', () => {
    const entry = boardEntry(stateAfter([issued, signedBy('lead')]), 2);
    expect(entry.summary).toEqual({ id: 't1', title: '烂尾楼化解', status: 'acknowledged', leadUnitId: 'lead', coUnitIds: ['co'], dueAt: '2026-04-01T00:00:00.000+08:00', rag: 'green', escalation: 'none', overdue: false, version: 2 });
    expect(entry.signFor).toEqual({ dueAt: '2026-03-04T00:00:00.000+08:00', unsigned: ['co'] });
    expect(entry.progressReportDueAt).toEqual(expect.stringMatching(/\+08:00$/));
    expect(entry.completionReportDueAt).toBeNull();
    expect(entry.dueSoon).toBe(false);
  });

  it('asks for the completion report once the light is not green, and counts a near deadline as due soon', () => {
    const entry = boardEntry(stateAfter([issued, signedBy('lead'), signedBy('co'), approaching]), 4);
    expect(entry.signFor).toBeNull();
    expect(entry.summary.rag).toBe('yellow');
    expect(entry.dueSoon).toBe(true);
    expect(entry.completionReportDueAt).toBe('2026-04-01T00:00:00.000+08:00');
  });

  it('shows an overdue task red and not as due soon', () => {
    const entry = boardEntry(stateAfter([issued, signedBy('lead'), signedBy('co'), approaching, overdue]), 5);
    expect(entry.summary).toMatchObject({ rag: 'red', overdue: true });
    expect(entry.dueSoon).toBe(false);
  });

  it('owes nothing while the office reviews the completion report', () => {
    const entry = boardEntry(stateAfter([issued, signedBy('lead'), completed]), 3);
    expect(entry).toMatchObject({ signFor: null, progressReportDueAt: null, completionReportDueAt: null });
  });
});

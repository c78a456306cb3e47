import { fold, type Principal } from '@app/shared-kernel';
import { given } from '@app/testing';
import type { IssueTask, TaskCommand } from './task.commands';
import { nextDeadlineCheck } from './task.deadlines';
import { taskDecider } from './task.decider';
import type { TaskEvent, TaskIssued } from './task.events';
import { ragOf } from './task.state';

const office: Principal = { personId: 'p-wf', name: '王芳', unitId: null, roles: ['office'] };
const officeLead: Principal = { personId: 'p-zj', name: '赵军', unitId: null, roles: ['office', 'office_lead'] };
const leadUser: Principal = { personId: 'p-lw', name: '刘伟', unitId: 'chuanshan', roles: ['unit'] };
const leadBoss: Principal = { personId: 'p-cq', name: '陈强', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] };
const coBoss: Principal = { personId: 'p-hy', name: '黄燕', unitId: 'zhujian', roles: ['unit', 'unit_lead'] };
const stranger: Principal = { personId: 'p-x', name: '某人', unitId: 'pengxi', roles: ['unit', 'unit_lead'] };
const inspector: Principal = { personId: 'p-jj', name: '纪检', unitId: null, roles: ['inspector'] };

const T0 = '2026-03-02T02:00:00.000Z'; // Monday 10:00 Beijing
const DUE = '2026-03-31T16:00:00.000Z';
const basis = { rule: 'sign-for: 1 working day', calendar: 'test' };
const issueCommand: IssueTask = {
  type: 'IssueTask',
  taskId: 't1',
  actor: office,
  at: T0,
  title: '烂尾楼化解',
  description: '推进复工',
  source: { kind: 'meeting_decision', ref: 'm1/d1' },
  leadUnitId: 'chuanshan',
  coUnitIds: ['zhujian'],
  dueAt: DUE,
  signForDueAt: '2026-03-03T16:00:00.000Z',
  signForBasis: basis,
  objectionDueAt: '2026-03-09T16:00:00.000Z',
  objectionBasis: { rule: 'objection: 5 working days', calendar: 'test' },
  reportEveryDays: 7,
  caseLeader: { personId: 'p-cl', name: '包案领导' },
  plan: null,
};
const { type: _type, actor: _actor, at: _at, ...issuedData } = issueCommand;
const issued: TaskIssued = { type: 'supervision.task-issued.v1', data: { ...issuedData, issuedAt: T0 } };
const by = (p: Principal) => ({ personId: p.personId, name: p.name });
const T1 = '2026-03-03T01:00:00.000Z';
const signed: TaskEvent = { type: 'supervision.task-signed-for.v1', data: { taskId: 't1', unitId: 'chuanshan', by: by(leadUser), at: T1 } };
const coSigned: TaskEvent = { type: 'supervision.task-signed-for.v1', data: { taskId: 't1', unitId: 'zhujian', by: by(coBoss), at: T1 } };
const reported: TaskEvent = { type: 'supervision.progress-reported.v1', data: { taskId: 't1', unitId: 'chuanshan', summary: '已复工', percent: 30, occurredAt: T1, by: by(leadUser) } };
const completed: TaskEvent = { type: 'supervision.completion-reported.v1', data: { taskId: 't1', summary: '已办结', evidence: null, by: by(leadBoss), at: '2026-03-20T01:00:00.000Z' } };
const accepted: TaskEvent = { type: 'supervision.completion-reviewed.v1', data: { taskId: 't1', decision: 'accept', reason: '属实', by: by(office), at: '2026-03-21T01:00:00.000Z' } };
const signedOff: TaskEvent = { type: 'supervision.task-signed-off.v1', data: { taskId: 't1', dueAt: DUE, onTime: true, by: by(officeLead), at: '2026-04-02T01:00:00.000Z' } };
const objected: TaskEvent = { type: 'supervision.objection-raised.v1', data: { taskId: 't1', unitId: 'chuanshan', reason: '不属于本单位职责', by: by(leadUser), at: T1 } };

const working = [issued, signed, coSigned, reported];
const closed = [...working, completed, accepted, signedOff];
const scenario = (history: TaskEvent[]) => given(taskDecider, history);
const cmd = (c: Record<string, unknown> & { type: TaskCommand['type'] }, actor: Principal = office, at = '2026-03-10T01:00:00.000Z'): TaskCommand => ({ taskId: 't1', actor, at, ...c }) as TaskCommand;

describe('issuing a task (交办)', () => {
  it('records the task with its deadlines and the basis they were computed on', () => {
    scenario([]).when(issueCommand).then([issued]);
  });
  it('refuses a second issue, a past deadline, the lead as co-unit, duplicates and a late sign-for deadline', () => {
    scenario([issued]).when(issueCommand).refuses('TASK_ALREADY_EXISTS', 'conflict');
    scenario([]).when({ ...issueCommand, dueAt: '2026-03-01T00:00:00.000Z' }).refuses('DUE_IN_PAST');
    scenario([]).when({ ...issueCommand, coUnitIds: ['chuanshan'] }).refuses('LEAD_ALSO_CO_UNIT');
    scenario([]).when({ ...issueCommand, coUnitIds: ['zhujian', 'zhujian'] }).refuses('DUPLICATE_CO_UNIT');
    scenario([]).when({ ...issueCommand, signForDueAt: '2026-04-30T00:00:00.000Z' }).refuses('SIGN_FOR_AFTER_DUE');
  });
  it('is the office’s to issue', () => {
    scenario([]).when({ ...issueCommand, actor: leadBoss }).refuses('ROLE_NOT_ALLOWED', 'forbidden');
  });
  it('carries a petitioner’s sealed fields only for a petition case, and keeps them with the task', () => {
    const petitioner = { subjectId: 's-1', ciphertext: { name: 'v1.bmFtZQ', idNumber: null, phone: 'v1.cGhvbmU' } };
    const fromPetition = { ...issueCommand, source: { kind: 'petition_case' as const, ref: '信访件 2026-001' }, petitioner };
    const { type: _t, actor: _a, at: _at2, ...data } = fromPetition;
    scenario([]).when(fromPetition).then([{ type: 'supervision.task-issued.v1', data: { ...data, issuedAt: T0 } }]);
    expect(fold(taskDecider, [{ type: 'supervision.task-issued.v1', data: { ...data, issuedAt: T0 } }]).petitioner).toEqual(petitioner);
    scenario([]).when({ ...issueCommand, petitioner }).refuses('PETITIONER_WITHOUT_PETITION_CASE');
  });
  it('leaves the petitioner out of the event altogether when there is none', () => {
    const [event] = taskDecider.decide(issueCommand, taskDecider.initialState);
    expect(event?.data).not.toHaveProperty('petitioner');
    expect(fold(taskDecider, [issued]).petitioner).toBeNull();
  });
});

describe('signing for (签收)', () => {
  it('acknowledges the task when the lead unit signs; a co-unit signs for its part', () => {
    scenario([issued]).when(cmd({ type: 'SignFor' }, leadUser, T1)).then([signed]);
    expect(fold(taskDecider, [issued, signed]).status).toBe('acknowledged');
    const co: TaskEvent = { type: 'supervision.task-signed-for.v1', data: { taskId: 't1', unitId: 'zhujian', by: by(coBoss), at: T1 } };
    scenario([issued]).when(cmd({ type: 'SignFor' }, coBoss, T1)).then([co]);
    expect(fold(taskDecider, [issued, co]).status).toBe('issued');
  });
  it('refuses twice, other units, the office, and unknown tasks', () => {
    scenario([issued, signed]).when(cmd({ type: 'SignFor' }, leadBoss)).refuses('ALREADY_SIGNED_FOR');
    scenario([issued]).when(cmd({ type: 'SignFor' }, stranger)).refuses('NOT_YOUR_TASK', 'forbidden');
    scenario([issued]).when(cmd({ type: 'SignFor' }, office)).refuses('ROLE_NOT_ALLOWED', 'forbidden');
    scenario([]).when(cmd({ type: 'SignFor' }, leadUser)).refuses('TASK_NOT_FOUND', 'not_found');
  });
});

describe('objections (异议)', () => {
  it('lets the lead unit object within the window, with reasons', () => {
    scenario([issued]).when(cmd({ type: 'RaiseObjection', reason: '不属于本单位职责' }, leadUser, T1)).then([objected]);
  });
  it('refuses after the window, after signing for, and from a co-unit', () => {
    scenario([issued]).when(cmd({ type: 'RaiseObjection', reason: 'x' }, leadUser, '2026-03-10T00:00:00.000Z')).refuses('OBJECTION_WINDOW_CLOSED');
    scenario([issued, signed]).when(cmd({ type: 'RaiseObjection', reason: 'x' }, leadUser)).refuses('OBJECTION_NOT_ALLOWED');
    scenario([issued]).when(cmd({ type: 'RaiseObjection', reason: 'x' }, coBoss, T1)).refuses('LEAD_UNIT_ONLY', 'forbidden');
  });
  it('upheld: withdrawn, or reassigned to another unit which must sign for it afresh', () => {
    const at = '2026-03-04T01:00:00.000Z';
    scenario([issued, objected]).when(cmd({ type: 'DecideObjection', uphold: true, reassignTo: null, reason: '同意', reassignDeadlines: null }, office, at)).then([
      { type: 'supervision.objection-upheld.v1', data: { taskId: 't1', reason: '同意', outcome: 'withdrawn', fromUnitId: 'chuanshan', reassignTo: null, signForDueAt: null, objectionDueAt: null, basis: null, at } },
    ]);
    const deadlines = { signForDueAt: '2026-03-05T16:00:00.000Z', objectionDueAt: '2026-03-11T16:00:00.000Z', basis };
    const reassigned: TaskEvent = { type: 'supervision.objection-upheld.v1', data: { taskId: 't1', reason: '改派', outcome: 'reassigned', fromUnitId: 'chuanshan', reassignTo: 'hedong', ...deadlines, at } };
    scenario([issued, objected]).when(cmd({ type: 'DecideObjection', uphold: true, reassignTo: 'hedong', reason: '改派', reassignDeadlines: deadlines }, office, at)).then([reassigned]);
    const state = fold(taskDecider, [issued, objected, reassigned]);
    expect(state).toMatchObject({ status: 'issued', leadUnitId: 'hedong', signForDueAt: deadlines.signForDueAt });
    scenario([issued, objected, reassigned]).when(cmd({ type: 'SignFor' }, leadUser)).refuses('NOT_YOUR_TASK');
    scenario([issued, objected]).when(cmd({ type: 'DecideObjection', uphold: true, reassignTo: 'chuanshan', reason: 'x', reassignDeadlines: deadlines })).refuses('REASSIGN_TO_SAME_UNIT');
  });
  it('rejected: the lead unit keeps the task as acknowledged; no decision without an objection', () => {
    const rejected: TaskEvent = { type: 'supervision.objection-rejected.v1', data: { taskId: 't1', reason: '属于职责', at: T1 } };
    scenario([issued, objected]).when(cmd({ type: 'DecideObjection', uphold: false, reassignTo: null, reason: '属于职责', reassignDeadlines: null }, office, T1)).then([rejected]);
    expect(fold(taskDecider, [issued, objected, rejected]).status).toBe('acknowledged');
    scenario([issued]).when(cmd({ type: 'DecideObjection', uphold: false, reassignTo: null, reason: 'x', reassignDeadlines: null })).refuses('NO_PENDING_OBJECTION');
    scenario([issued, objected]).when(cmd({ type: 'DecideObjection', uphold: false, reassignTo: null, reason: 'x', reassignDeadlines: null }, leadBoss)).refuses('ROLE_NOT_ALLOWED');
  });
});

describe('progress reports', () => {
  it('moves the task in progress; business time may be earlier than the recording', () => {
    scenario([issued, signed]).when(cmd({ type: 'ReportProgress', summary: '已复工', percent: 30, occurredAt: T1 }, leadUser, '2026-03-05T01:00:00.000Z')).then([reported]);
    expect(fold(taskDecider, working).status).toBe('in_progress');
  });
  it('co-units report too; refused before sign-for, on a closed task, from the future or before issue', () => {
    const co = cmd({ type: 'ReportProgress', summary: '配合', percent: null, occurredAt: '2026-03-05T01:00:00.000Z' }, coBoss);
    scenario(working).when(co).then([{ type: 'supervision.progress-reported.v1', data: { taskId: 't1', unitId: 'zhujian', summary: '配合', percent: null, occurredAt: '2026-03-05T01:00:00.000Z', by: by(coBoss) } }]);
    scenario([issued]).when(co).refuses('TASK_NOT_IN_PROGRESS');
    scenario(closed).when(co).refuses('TASK_NOT_OPEN');
    scenario(working).when(cmd({ type: 'ReportProgress', summary: 'x', percent: null, occurredAt: '2026-03-11T00:00:00.000Z' }, leadUser)).refuses('OCCURRED_IN_FUTURE');
    scenario(working).when(cmd({ type: 'ReportProgress', summary: 'x', percent: null, occurredAt: '2026-03-01T00:00:00.000Z' }, leadUser)).refuses('OCCURRED_BEFORE_ISSUE');
    scenario(working).when(cmd({ type: 'ReportProgress', summary: 'x', percent: null, occurredAt: T1 }, stranger)).refuses('NOT_YOUR_TASK', 'forbidden');
  });
});

describe('extensions (延期)', () => {
  const request = cmd({ type: 'RequestExtension', reason: '资金未到位', proposedDueAt: '2026-04-30T16:00:00.000Z', progress: '完成60%' }, leadBoss);
  const requested: TaskEvent = { type: 'supervision.extension-requested.v1', data: { taskId: 't1', reason: '资金未到位', proposedDueAt: '2026-04-30T16:00:00.000Z', progress: '完成60%', by: by(leadBoss), at: '2026-03-10T01:00:00.000Z' } };
  it('are asked by the lead unit’s unit_lead before the deadline, for a later date', () => {
    scenario(working).when(request).then([requested]);
    scenario(working).when({ ...request, actor: leadUser }).refuses('ROLE_NOT_ALLOWED', 'forbidden');
    scenario(working).when({ ...request, actor: coBoss }).refuses('LEAD_UNIT_ONLY', 'forbidden');
    scenario(working).when({ ...request, at: DUE }).refuses('EXTENSION_AFTER_DEADLINE');
    scenario(working).when({ ...request, proposedDueAt: '2026-03-20T00:00:00.000Z' } as TaskCommand).refuses('EXTENSION_NOT_LATER');
    scenario([...working, requested]).when(request).refuses('EXTENSION_ALREADY_PENDING');
  });
  it('approval moves the deadline and keeps the original; refusal keeps it; only office_lead decides', () => {
    const approve = cmd({ type: 'DecideExtension', approve: true, dueAt: null, reason: '同意' }, officeLead, '2026-03-11T01:00:00.000Z');
    const approved: TaskEvent = { type: 'supervision.extension-decided.v1', data: { taskId: 't1', approve: true, previousDueAt: DUE, dueAt: '2026-04-30T16:00:00.000Z', reason: '同意', by: by(officeLead), at: '2026-03-11T01:00:00.000Z' } };
    scenario([...working, requested]).when(approve).then([approved]);
    expect(fold(taskDecider, [...working, requested, approved])).toMatchObject({ status: 'in_progress', dueAt: '2026-04-30T16:00:00.000Z', originalDueAt: DUE });
    const refused = fold(taskDecider, [...working, requested, { ...approved, data: { ...approved.data, approve: false, dueAt: DUE } }]);
    expect(refused).toMatchObject({ status: 'in_progress', dueAt: DUE });
    scenario([...working, requested]).when({ ...approve, actor: office }).refuses('ROLE_NOT_ALLOWED');
    scenario(working).when(approve).refuses('NO_PENDING_EXTENSION');
    scenario([...working, requested]).when(cmd({ type: 'DecideExtension', approve: true, dueAt: '2026-03-15T00:00:00.000Z', reason: 'x' }, officeLead)).refuses('EXTENSION_NOT_LATER');
  });
});

describe('completion, review and sign-off (销号)', () => {
  it('completion is reported by the lead unit’s unit_lead only', () => {
    scenario(working).when(cmd({ type: 'ReportCompletion', summary: '已办结', evidence: null }, leadBoss, '2026-03-20T01:00:00.000Z')).then([completed]);
    scenario(working).when(cmd({ type: 'ReportCompletion', summary: 'x', evidence: null }, coBoss)).refuses('LEAD_UNIT_ONLY', 'forbidden');
    scenario(working).when(cmd({ type: 'ReportCompletion', summary: 'x', evidence: null }, leadUser)).refuses('ROLE_NOT_ALLOWED', 'forbidden');
    scenario([issued]).when(cmd({ type: 'ReportCompletion', summary: 'x', evidence: null }, leadBoss)).refuses('COMPLETION_NOT_ALLOWED');
  });
  it('send back returns it to work with the same deadline; accept leads to sign-off', () => {
    const back: TaskEvent = { type: 'supervision.completion-reviewed.v1', data: { taskId: 't1', decision: 'send_back', reason: '材料不全', by: by(office), at: '2026-03-21T01:00:00.000Z' } };
    scenario([...working, completed]).when(cmd({ type: 'ReviewCompletion', decision: 'send_back', reason: '材料不全' }, office, '2026-03-21T01:00:00.000Z')).then([back]);
    expect(fold(taskDecider, [...working, completed, back])).toMatchObject({ status: 'in_progress', dueAt: DUE, sentBack: 1 });
    scenario(working).when(cmd({ type: 'ReviewCompletion', decision: 'accept', reason: 'x' })).refuses('TASK_NOT_UNDER_REVIEW');
  });
  it('sign-off by office_lead closes the task, on time when the report came by the deadline', () => {
    scenario([...working, completed, accepted]).when(cmd({ type: 'SignOff' }, officeLead, '2026-04-02T01:00:00.000Z')).then([signedOff]);
    scenario([...working, completed, accepted]).when(cmd({ type: 'SignOff' }, office)).refuses('ROLE_NOT_ALLOWED');
    scenario([...working, completed]).when(cmd({ type: 'SignOff' }, officeLead)).refuses('TASK_NOT_PENDING_SIGNOFF');
    const late = { ...completed, data: { ...completed.data, at: '2026-04-05T01:00:00.000Z' } } as TaskEvent;
    const [event] = taskDecider.decide(cmd({ type: 'SignOff' }, officeLead, '2026-04-06T01:00:00.000Z'), fold(taskDecider, [...working, late, accepted]));
    expect(event).toMatchObject({ data: { onTime: false, dueAt: DUE } });
  });
  it('a closed task refuses work, takes an evaluation, and can be reopened', () => {
    scenario(closed).when(cmd({ type: 'SendReminder', message: 'x' })).refuses('TASK_NOT_OPEN');
    scenario(closed).when(cmd({ type: 'Evaluate', rating: 5, comment: '满意' })).then([{ type: 'supervision.task-evaluated.v1', data: { taskId: 't1', rating: 5, comment: '满意', by: by(office), at: '2026-03-10T01:00:00.000Z' } }]);
    scenario(closed).when(cmd({ type: 'Evaluate', rating: 6, comment: null })).refuses('INVALID_RATING', 'invalid');
    scenario(working).when(cmd({ type: 'Evaluate', rating: 5, comment: null })).refuses('TASK_NOT_CLOSED');
    const reopenAt = '2026-04-10T01:00:00.000Z';
    const reopened: TaskEvent = { type: 'supervision.task-reopened.v1', data: { taskId: 't1', reason: '重复信访', previousDueAt: DUE, dueAt: '2026-05-31T16:00:00.000Z', by: by(office), at: reopenAt } };
    scenario(closed).when(cmd({ type: 'Reopen', reason: '重复信访', dueAt: '2026-05-31T16:00:00.000Z' }, office, reopenAt)).then([reopened]);
    expect(fold(taskDecider, [...closed, reopened])).toMatchObject({ status: 'in_progress', dueAt: '2026-05-31T16:00:00.000Z', closedAt: null });
    scenario(working).when(cmd({ type: 'Reopen', reason: 'x', dueAt: null })).refuses('TASK_NOT_CLOSED');
    scenario(closed).when(cmd({ type: 'Reopen', reason: 'x', dueAt: '2026-04-01T00:00:00.000Z' }, office, reopenAt)).refuses('DUE_IN_PAST');
  });
  it('cancel is office_lead’s, on open tasks only', () => {
    scenario(working).when(cmd({ type: 'Cancel', reason: '撤销' }, officeLead)).then([{ type: 'supervision.task-cancelled.v1', data: { taskId: 't1', reason: '撤销', by: by(officeLead), at: '2026-03-10T01:00:00.000Z' } }]);
    scenario(working).when(cmd({ type: 'Cancel', reason: 'x' }, office)).refuses('ROLE_NOT_ALLOWED');
    scenario(closed).when(cmd({ type: 'Cancel', reason: 'x' }, officeLead)).refuses('TASK_NOT_OPEN');
  });
  it('a unit learns nothing about another unit’s finished task: scope is checked before state', () => {
    const cancelled: TaskEvent = { type: 'supervision.task-cancelled.v1', data: { taskId: 't1', reason: 'x', by: by(officeLead), at: T1 } };
    scenario([...working, cancelled]).when(cmd({ type: 'ReportProgress', summary: 'x', percent: null, occurredAt: T1 }, stranger)).refuses('NOT_YOUR_TASK', 'forbidden');
    scenario([...working, cancelled]).when(cmd({ type: 'ReportCompletion', summary: 'x', evidence: null }, stranger)).refuses('NOT_YOUR_TASK', 'forbidden');
  });
  it('the office changes the case leader on an open task; the new one is the task’s from then on', () => {
    const next = { personId: 'p-sun', name: '孙立新' };
    const changed: TaskEvent = { type: 'supervision.case-leader-changed.v1', data: { taskId: 't1', previous: { personId: 'p-cl', name: '包案领导' }, caseLeader: next, reason: '工作调整', by: by(office), at: '2026-03-10T01:00:00.000Z' } };
    scenario(working).when(cmd({ type: 'ChangeCaseLeader', caseLeader: next, reason: '工作调整' })).then([changed]);
    expect(fold(taskDecider, [...working, changed]).caseLeader).toEqual(next);
    scenario([...working, changed]).when(cmd({ type: 'ChangeCaseLeader', caseLeader: next, reason: 'x' })).refuses('CASE_LEADER_UNCHANGED');
    scenario(closed).when(cmd({ type: 'ChangeCaseLeader', caseLeader: next, reason: 'x' })).refuses('TASK_NOT_OPEN');
    scenario(working).when(cmd({ type: 'ChangeCaseLeader', caseLeader: next, reason: 'x' }, leadBoss)).refuses('ROLE_NOT_ALLOWED', 'forbidden');
  });
  it('inspectors write nothing here', () => {
    scenario(working).when(cmd({ type: 'SendReminder', message: 'x' }, inspector)).refuses('ROLE_NOT_ALLOWED', 'forbidden');
  });
});

describe('the escalation ladder (催办 → 蓝 → 黄 → 红 → 挂牌)', () => {
  it('a reminder starts it; escalations only go up', () => {
    const reminded: TaskEvent = { type: 'supervision.reminder-sent.v1', data: { taskId: 't1', message: '请抓紧', by: by(office), at: '2026-03-10T01:00:00.000Z' } };
    scenario(working).when(cmd({ type: 'SendReminder', message: '请抓紧' })).then([reminded]);
    expect(fold(taskDecider, [...working, reminded]).escalation).toBe('reminder');
    const yellow: TaskEvent = { type: 'supervision.task-escalated.v1', data: { taskId: 't1', from: 'reminder', level: 'yellow', reason: '进展滞后', by: by(office), at: '2026-03-10T01:00:00.000Z' } };
    scenario([...working, reminded]).when(cmd({ type: 'Escalate', level: 'yellow', reason: '进展滞后' })).then([yellow]);
    scenario([...working, reminded, yellow]).when(cmd({ type: 'Escalate', level: 'blue', reason: 'x' })).refuses('ESCALATION_NOT_HIGHER');
    scenario([...working, reminded, yellow]).when(cmd({ type: 'Escalate', level: 'listed', reason: '挂牌' }, officeLead)).then([
      { type: 'supervision.task-escalated.v1', data: { taskId: 't1', from: 'yellow', level: 'listed', reason: '挂牌', by: by(officeLead), at: '2026-03-10T01:00:00.000Z' } },
    ]);
    expect(fold(taskDecider, [...working, reminded, yellow, { ...yellow, data: { ...yellow.data, level: 'listed' } }]).escalation).toBe('listed');
  });
});

describe('deadlines recorded by the system', () => {
  const check = (at: string): TaskCommand => cmd({ type: 'CheckDeadlines', dueSoonDays: 3 }, { personId: 'system', name: 'system', unitId: null, roles: [] }, at);
  it('sign-for missed once, naming the units that did not sign', () => {
    const at = '2026-03-04T00:00:00.000Z';
    const missed: TaskEvent = { type: 'supervision.sign-for-missed.v1', data: { taskId: 't1', unitIds: ['chuanshan', 'zhujian'], signForDueAt: '2026-03-03T16:00:00.000Z', at } };
    scenario([issued]).when(check(at)).then([missed]);
    scenario([issued, missed]).when(check('2026-03-04T01:00:00.000Z')).then([]);
    scenario([issued]).when(check('2026-03-03T15:00:00.000Z')).then([]);
  });
  it('approaching, then overdue, each once per deadline, and the RAG light follows', () => {
    const history = [issued, signed, coSigned, { ...reported, data: { ...reported.data, occurredAt: '2026-03-28T00:00:00.000Z' } } as TaskEvent];
    const soon = '2026-03-29T00:00:00.000Z';
    const approaching: TaskEvent = { type: 'supervision.deadline-approaching.v1', data: { taskId: 't1', dueAt: DUE, at: soon } };
    expect(ragOf(fold(taskDecider, history))).toBe('green');
    scenario(history).when(check(soon)).then([approaching]);
    expect(ragOf(fold(taskDecider, [...history, approaching]))).toBe('yellow');
    scenario([...history, approaching]).when(check('2026-03-30T00:00:00.000Z')).then([]);
    const late = '2026-04-01T00:00:00.000Z';
    const overdue: TaskEvent = { type: 'supervision.task-overdue.v1', data: { taskId: 't1', dueAt: DUE, at: late } };
    scenario([...history, approaching]).when(check(late)).then([overdue]);
    expect(ragOf(fold(taskDecider, [...history, approaching, overdue]))).toBe('red');
    scenario([...history, approaching, overdue]).when(check('2026-04-02T00:00:00.000Z')).then([]);
  });
  it('a moved deadline re-arms them; a task under review is not overdue', () => {
    const requested: TaskEvent = { type: 'supervision.extension-requested.v1', data: { taskId: 't1', reason: 'x', proposedDueAt: '2026-04-30T16:00:00.000Z', progress: 'x', by: by(leadBoss), at: '2026-03-29T00:00:00.000Z' } };
    const approaching: TaskEvent = { type: 'supervision.deadline-approaching.v1', data: { taskId: 't1', dueAt: DUE, at: '2026-03-29T00:00:00.000Z' } };
    const approved: TaskEvent = { type: 'supervision.extension-decided.v1', data: { taskId: 't1', approve: true, previousDueAt: DUE, dueAt: '2026-04-30T16:00:00.000Z', reason: 'x', by: by(officeLead), at: '2026-03-30T00:00:00.000Z' } };
    const state = fold(taskDecider, [...working, approaching, requested, approved]);
    expect(ragOf(state)).toBe('green');
    expect(taskDecider.decide(check('2026-04-28T00:00:00.000Z'), state).map((e) => e.type)).toContain('supervision.deadline-approaching.v1');
    scenario([...working, completed]).when(check('2026-04-05T00:00:00.000Z')).then([]);
  });
  it('progress reports missed on the cadence, one event per missed report, reset by a report', () => {
    const history = [issued, signed, coSigned];
    const events = taskDecider.decide(check('2026-03-17T00:00:00.000Z'), fold(taskDecider, history));
    expect(events).toEqual([
      { type: 'supervision.progress-report-missed.v1', data: { taskId: 't1', unitId: 'chuanshan', dueAt: '2026-03-09T02:00:00.000Z', at: '2026-03-17T00:00:00.000Z' } },
      { type: 'supervision.progress-report-missed.v1', data: { taskId: 't1', unitId: 'chuanshan', dueAt: '2026-03-16T02:00:00.000Z', at: '2026-03-17T00:00:00.000Z' } },
    ]);
    const late = fold(taskDecider, [...history, ...events]);
    expect(ragOf(late)).toBe('yellow');
    expect(nextDeadlineCheck(late, 3)).toBe('2026-03-23T02:00:00.000Z');
    const after = fold(taskDecider, [...history, ...events, { ...reported, data: { ...reported.data, occurredAt: '2026-03-17T01:00:00.000Z' } } as TaskEvent]);
    expect(ragOf(after)).toBe('green');
    expect(after.reportDueAt).toBe('2026-03-24T01:00:00.000Z');
  });
  it('a closed or cancelled task has nothing left to check', () => {
    expect(nextDeadlineCheck(fold(taskDecider, closed), 3)).toBeNull();
    scenario(closed).when(check('2026-06-01T00:00:00.000Z')).then([]);
  });
});

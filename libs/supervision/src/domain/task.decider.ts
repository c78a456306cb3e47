import { DomainError, type Decider, type Role } from '@app/shared-kernel';
import type { TaskCommand } from './task.commands';
import { dueDeadlineEvents } from './task.deadlines';
import { ESCALATION_LEVELS, type TaskEvent } from './task.events';
import { before, personOf, requireInvolvedUnit, requireIssued, requireLeadUnit, requireOpen, requireRole, requireStatus } from './task.guards';
import { evolveTask, initialTaskState, type TaskState } from './task.state';

/** The office's people; office_lead may do whatever the office does, and more. */
const OFFICE: readonly Role[] = ['office', 'office_lead'];
const OFFICE_LEAD: readonly Role[] = ['office_lead'];
const UNIT: readonly Role[] = ['unit', 'unit_lead'];
const UNIT_LEAD: readonly Role[] = ['unit_lead'];

/** `supervision.task-<id>`: one stream per 督办 task. */
export const taskStreamId = (taskId: string): string => `supervision.task-${taskId}`;

type Of<T extends TaskCommand['type']> = Extract<TaskCommand, { type: T }>;

function issue(c: Of<'IssueTask'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, OFFICE, 'issue tasks');
  if (state.status !== null) throw new DomainError('conflict', 'TASK_ALREADY_EXISTS', `A task with the id ${c.taskId} exists.`);
  if (!before(c.at, c.dueAt)) throw new DomainError('rule', 'DUE_IN_PAST', 'The deadline must be later than now.', [{ field: 'dueAt', message: 'must be in the future' }]);
  if (c.coUnitIds.includes(c.leadUnitId)) throw new DomainError('rule', 'LEAD_ALSO_CO_UNIT', 'The lead unit cannot also be a co-unit.', [{ field: 'coUnitIds', message: 'contains the lead unit' }]);
  if (new Set(c.coUnitIds).size !== c.coUnitIds.length) throw new DomainError('rule', 'DUPLICATE_CO_UNIT', 'A co-unit is listed twice.', [{ field: 'coUnitIds', message: 'duplicates' }]);
  if (before(c.dueAt, c.signForDueAt)) throw new DomainError('rule', 'SIGN_FOR_AFTER_DUE', 'The sign-for deadline cannot be later than the task deadline.', [{ field: 'signForDueAt', message: 'after dueAt' }]);
  // Personal data is collected only where the task is about a person's petition (data minimisation).
  if (c.petitioner !== undefined && c.source.kind !== 'petition_case') throw new DomainError('rule', 'PETITIONER_WITHOUT_PETITION_CASE', 'A petitioner can be recorded only for a task whose source is a petition case.', [{ field: 'petitioner', message: 'only with source.kind petition_case' }]);
  const { taskId, title, description, source, leadUnitId, coUnitIds, dueAt, signForDueAt, signForBasis, objectionDueAt, objectionBasis, reportEveryDays, caseLeader, plan, petitioner } = c;
  return [{ type: 'supervision.task-issued.v1', data: { taskId, title, description, source, leadUnitId, coUnitIds, dueAt, signForDueAt, signForBasis, objectionDueAt, objectionBasis, reportEveryDays, caseLeader, plan, ...(petitioner === undefined ? {} : { petitioner }), issuedAt: c.at } }];
}

function changeCaseLeader(c: Of<'ChangeCaseLeader'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, OFFICE, 'change case leaders');
  requireIssued(state);
  requireOpen(state);
  if (state.caseLeader?.personId === c.caseLeader.personId) throw new DomainError('rule', 'CASE_LEADER_UNCHANGED', `${c.caseLeader.name} is already the case leader.`, [{ field: 'personId', message: 'is the case leader now' }]);
  return [{ type: 'supervision.case-leader-changed.v1', data: { taskId: c.taskId, previous: state.caseLeader, caseLeader: c.caseLeader, reason: c.reason, by: personOf(c.actor), at: c.at } }];
}

function signFor(c: Of<'SignFor'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, UNIT, 'sign for tasks');
  requireIssued(state);
  const unitId = requireInvolvedUnit(state, c.actor);
  requireOpen(state);
  if (state.signedFor.includes(unitId)) throw new DomainError('rule', 'ALREADY_SIGNED_FOR', 'Your unit has already signed for this task.');
  if (state.status === 'objected' && unitId === state.leadUnitId) throw new DomainError('rule', 'OBJECTION_PENDING', 'Your objection awaits the office’s decision.');
  return [{ type: 'supervision.task-signed-for.v1', data: { taskId: c.taskId, unitId, by: personOf(c.actor), at: c.at } }];
}

function raiseObjection(c: Of<'RaiseObjection'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, UNIT, 'object to tasks');
  requireIssued(state);
  const unitId = requireLeadUnit(state, c.actor, 'object to the assignment');
  requireOpen(state);
  if (state.status !== 'issued') throw new DomainError('rule', 'OBJECTION_NOT_ALLOWED', 'An objection is possible only before the task is signed for.');
  if (before(state.objectionDueAt, c.at)) throw new DomainError('rule', 'OBJECTION_WINDOW_CLOSED', `Objections were due by ${state.objectionDueAt} (5 working days).`);
  return [{ type: 'supervision.objection-raised.v1', data: { taskId: c.taskId, unitId, reason: c.reason, by: personOf(c.actor), at: c.at } }];
}

function decideObjection(c: Of<'DecideObjection'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, OFFICE, 'decide objections');
  requireStatus(state, ['objected'], 'NO_PENDING_OBJECTION', 'deciding an objection');
  if (!c.uphold) return [{ type: 'supervision.objection-rejected.v1', data: { taskId: c.taskId, reason: c.reason, at: c.at } }];
  if (c.reassignTo === state.leadUnitId) throw new DomainError('rule', 'REASSIGN_TO_SAME_UNIT', 'The task would go back to the unit that objected.', [{ field: 'reassignTo', message: 'is the current lead unit' }]);
  const deadlines = c.reassignTo === null ? null : c.reassignDeadlines;
  return [
    {
      type: 'supervision.objection-upheld.v1',
      data: {
        taskId: c.taskId,
        reason: c.reason,
        outcome: c.reassignTo === null ? 'withdrawn' : 'reassigned',
        fromUnitId: state.leadUnitId,
        reassignTo: c.reassignTo,
        signForDueAt: deadlines?.signForDueAt ?? null,
        objectionDueAt: deadlines?.objectionDueAt ?? null,
        basis: deadlines?.basis ?? null,
        at: c.at,
      },
    },
  ];
}

function reportProgress(c: Of<'ReportProgress'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, UNIT, 'report progress');
  requireIssued(state);
  const unitId = requireInvolvedUnit(state, c.actor);
  requireOpen(state);
  requireStatus(state, ['acknowledged', 'in_progress', 'extension_pending'], 'TASK_NOT_IN_PROGRESS', 'a progress report');
  if (before(c.at, c.occurredAt)) throw new DomainError('rule', 'OCCURRED_IN_FUTURE', 'A report cannot describe the future.', [{ field: 'occurredAt', message: 'later than now' }]);
  if (before(c.occurredAt, state.issuedAt)) throw new DomainError('rule', 'OCCURRED_BEFORE_ISSUE', 'The report is dated before the task was issued.', [{ field: 'occurredAt', message: 'before the task was issued' }]);
  return [{ type: 'supervision.progress-reported.v1', data: { taskId: c.taskId, unitId, summary: c.summary, percent: c.percent, occurredAt: c.occurredAt, by: personOf(c.actor) } }];
}

function requestExtension(c: Of<'RequestExtension'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, UNIT_LEAD, 'ask for an extension');
  requireIssued(state);
  requireLeadUnit(state, c.actor, 'ask for an extension');
  requireOpen(state);
  if (state.status === 'extension_pending') throw new DomainError('rule', 'EXTENSION_ALREADY_PENDING', 'An extension request awaits a decision.');
  requireStatus(state, ['acknowledged', 'in_progress'], 'EXTENSION_NOT_ALLOWED', 'an extension request');
  if (!before(c.at, state.dueAt)) throw new DomainError('rule', 'EXTENSION_AFTER_DEADLINE', `The deadline ${state.dueAt} has passed; an extension must be asked for before it.`);
  if (!before(state.dueAt, c.proposedDueAt)) throw new DomainError('rule', 'EXTENSION_NOT_LATER', 'The proposed deadline must be later than the current one.', [{ field: 'proposedDueAt', message: 'not later than dueAt' }]);
  return [{ type: 'supervision.extension-requested.v1', data: { taskId: c.taskId, reason: c.reason, proposedDueAt: c.proposedDueAt, progress: c.progress, by: personOf(c.actor), at: c.at } }];
}

function decideExtension(c: Of<'DecideExtension'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, OFFICE_LEAD, 'decide extension requests');
  requireStatus(state, ['extension_pending'], 'NO_PENDING_EXTENSION', 'an extension decision');
  const proposed = state.pendingExtension?.proposedDueAt ?? state.dueAt;
  const dueAt = c.approve ? (c.dueAt ?? proposed) : state.dueAt;
  if (c.approve && !before(state.dueAt, dueAt)) throw new DomainError('rule', 'EXTENSION_NOT_LATER', 'An approved deadline must be later than the current one.', [{ field: 'dueAt', message: 'not later than the current deadline' }]);
  return [{ type: 'supervision.extension-decided.v1', data: { taskId: c.taskId, approve: c.approve, previousDueAt: state.dueAt, dueAt, reason: c.reason, by: personOf(c.actor), at: c.at } }];
}

function reportCompletion(c: Of<'ReportCompletion'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, UNIT_LEAD, 'report completion');
  requireIssued(state);
  requireLeadUnit(state, c.actor, 'report completion');
  requireOpen(state);
  if (state.status === 'extension_pending') throw new DomainError('rule', 'EXTENSION_PENDING', 'An extension request awaits a decision; report completion after it.');
  requireStatus(state, ['acknowledged', 'in_progress'], 'COMPLETION_NOT_ALLOWED', 'a completion report');
  return [{ type: 'supervision.completion-reported.v1', data: { taskId: c.taskId, summary: c.summary, evidence: c.evidence, by: personOf(c.actor), at: c.at } }];
}

function review(c: Of<'ReviewCompletion'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, OFFICE, 'review completion reports');
  requireStatus(state, ['under_review'], 'TASK_NOT_UNDER_REVIEW', 'a review');
  return [{ type: 'supervision.completion-reviewed.v1', data: { taskId: c.taskId, decision: c.decision, reason: c.reason, by: personOf(c.actor), at: c.at } }];
}

function signOff(c: Of<'SignOff'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, OFFICE_LEAD, 'sign off tasks');
  requireStatus(state, ['pending_signoff'], 'TASK_NOT_PENDING_SIGNOFF', 'sign-off');
  const onTime = state.completedAt !== null && !before(state.dueAt, state.completedAt);
  return [{ type: 'supervision.task-signed-off.v1', data: { taskId: c.taskId, dueAt: state.dueAt, onTime, by: personOf(c.actor), at: c.at } }];
}

function escalate(c: Of<'Escalate'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, OFFICE, 'escalate tasks');
  requireOpen(state);
  if (ESCALATION_LEVELS.indexOf(c.level) <= ESCALATION_LEVELS.indexOf(state.escalation)) {
    throw new DomainError('rule', 'ESCALATION_NOT_HIGHER', `The task is already at ${state.escalation}; escalation only goes up the ladder.`, [{ field: 'level', message: `must be above ${state.escalation}` }]);
  }
  return [{ type: 'supervision.task-escalated.v1', data: { taskId: c.taskId, from: state.escalation, level: c.level, reason: c.reason, by: personOf(c.actor), at: c.at } }];
}

function reopen(c: Of<'Reopen'>, state: TaskState): TaskEvent[] {
  requireRole(c.actor, OFFICE, 'reopen tasks');
  requireStatus(state, ['closed'], 'TASK_NOT_CLOSED', 'reopening');
  if (c.dueAt !== null && !before(c.at, c.dueAt)) throw new DomainError('rule', 'DUE_IN_PAST', 'The new deadline must be later than now.', [{ field: 'dueAt', message: 'must be in the future' }]);
  return [{ type: 'supervision.task-reopened.v1', data: { taskId: c.taskId, reason: c.reason, previousDueAt: state.dueAt, dueAt: c.dueAt ?? state.dueAt, by: personOf(c.actor), at: c.at } }];
}

export const taskDecider: Decider<TaskCommand, TaskEvent, TaskState> = {
  initialState: initialTaskState,
  evolve: evolveTask,

  decide(c, state) {
    switch (c.type) {
      case 'IssueTask':
        return issue(c, state);
      case 'SignFor':
        return signFor(c, state);
      case 'RaiseObjection':
        return raiseObjection(c, state);
      case 'DecideObjection':
        return decideObjection(c, state);
      case 'ReportProgress':
        return reportProgress(c, state);
      case 'RequestExtension':
        return requestExtension(c, state);
      case 'DecideExtension':
        return decideExtension(c, state);
      case 'ReportCompletion':
        return reportCompletion(c, state);
      case 'ReviewCompletion':
        return review(c, state);
      case 'SignOff':
        return signOff(c, state);
      case 'SendReminder':
        requireRole(c.actor, OFFICE, 'send reminders');
        requireOpen(state);
        return [{ type: 'supervision.reminder-sent.v1', data: { taskId: c.taskId, message: c.message, by: personOf(c.actor), at: c.at } }];
      case 'ChangeCaseLeader':
        return changeCaseLeader(c, state);
      case 'Escalate':
        return escalate(c, state);
      case 'Evaluate':
        requireRole(c.actor, OFFICE, 'evaluate tasks');
        requireStatus(state, ['closed'], 'TASK_NOT_CLOSED', 'an evaluation');
        if (!Number.isInteger(c.rating) || c.rating < 1 || c.rating > 5) throw new DomainError('invalid', 'INVALID_RATING', 'rating is a whole number from 1 to 5.', [{ field: 'rating', message: '1 to 5' }]);
        return [{ type: 'supervision.task-evaluated.v1', data: { taskId: c.taskId, rating: c.rating, comment: c.comment, by: personOf(c.actor), at: c.at } }];
      case 'Reopen':
        return reopen(c, state);
      case 'Cancel':
        requireRole(c.actor, OFFICE_LEAD, 'cancel tasks');
        requireOpen(state);
        return [{ type: 'supervision.task-cancelled.v1', data: { taskId: c.taskId, reason: c.reason, by: personOf(c.actor), at: c.at } }];
      case 'CheckDeadlines':
        requireIssued(state);
        return dueDeadlineEvents(state, c.at, c.dueSoonDays);
    }
  },
};

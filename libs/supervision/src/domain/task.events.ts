import type { DomainEvent } from '@app/shared-kernel';

export const SOURCE_KINDS = ['meeting_decision', 'leader_instruction', 'upper_level', 'petition_case', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** 催办 → 蓝 → 黄 → 红 → 挂牌督办, in rising order; `none` until the office first acts. */
export const ESCALATION_LEVELS = ['none', 'reminder', 'blue', 'yellow', 'red', 'listed'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export interface PersonRef {
  personId: string;
  name: string;
}

/** Which rule and which calendar computed a deadline (DESIGN.md §5), so a later reader can redo it. */
export interface DeadlineBasis {
  rule: string;
  calendar: string;
}

/**
 * The petitioner (信访人) of a task from a petition case, as the ledger keeps it: only ciphertext
 * (`v1.…`, AES-256-GCM under the subject's own key, bound to subject and field), so every hash
 * covers ciphertext and destroying the subject's key erases the person without breaking a chain.
 * Sealed and opened outside the domain (@app/privacy); the decider only carries it.
 */
export interface SealedPetitioner {
  /** The data subject: whose key seals these fields. Not personal data itself. */
  subjectId: string;
  ciphertext: { name: string; idNumber: string | null; phone: string | null };
}

/** What the office sets when it issues a task (API.md's TaskSpec, ids and times checked). */
export interface TaskTerms {
  title: string;
  description: string;
  source: { kind: SourceKind; ref: string | null };
  leadUnitId: string;
  coUnitIds: string[];
  dueAt: string;
  reportEveryDays: number | null;
  caseLeader: PersonRef | null;
  plan: string | null;
  /** Only for `petition_case` tasks; absent (not null) otherwise, so other tasks' events keep their shape. */
  petitioner?: SealedPetitioner;
}

/** 交办/督办: the office hands a task to a lead unit (牵头单位) and co-units (协办单位). */
export type TaskIssued = DomainEvent<
  'supervision.task-issued.v1',
  TaskTerms & {
    taskId: string;
    signForDueAt: string;
    signForBasis: DeadlineBasis;
    objectionDueAt: string;
    objectionBasis: DeadlineBasis;
    issuedAt: string;
  }
>;

/** 签收: a lead or co-unit acknowledged the task. */
export type TaskSignedFor = DomainEvent<'supervision.task-signed-for.v1', { taskId: string; unitId: string; by: PersonRef; at: string }>;

/** The lead unit says the task is not theirs (异议), with reasons, inside the objection window. */
export type ObjectionRaised = DomainEvent<'supervision.objection-raised.v1', { taskId: string; unitId: string; reason: string; by: PersonRef; at: string }>;

/** The office agrees: the task is withdrawn, or reassigned to another lead unit (issued to it afresh). */
export type ObjectionUpheld = DomainEvent<
  'supervision.objection-upheld.v1',
  {
    taskId: string;
    reason: string;
    outcome: 'withdrawn' | 'reassigned';
    fromUnitId: string;
    reassignTo: string | null;
    signForDueAt: string | null;
    objectionDueAt: string | null;
    basis: DeadlineBasis | null;
    at: string;
  }
>;

/** The office disagrees: the objecting unit keeps the task as if it had signed for it. */
export type ObjectionRejected = DomainEvent<'supervision.objection-rejected.v1', { taskId: string; reason: string; at: string }>;

/** 进展报告; `occurredAt` is business time and may be earlier than the recording (an offline report). */
export type ProgressReported = DomainEvent<'supervision.progress-reported.v1', { taskId: string; unitId: string; summary: string; percent: number | null; occurredAt: string; by: PersonRef }>;

/** 延期申请, only before the deadline, by the lead unit's unit_lead. */
export type ExtensionRequested = DomainEvent<'supervision.extension-requested.v1', { taskId: string; reason: string; proposedDueAt: string; progress: string; by: PersonRef; at: string }>;

/** office_lead's answer; `dueAt` is the deadline that applies from now on (unchanged when refused). */
export type ExtensionDecided = DomainEvent<'supervision.extension-decided.v1', { taskId: string; approve: boolean; previousDueAt: string; dueAt: string; reason: string; by: PersonRef; at: string }>;

/** 办结报告 by the lead unit, signed by its unit_lead. */
export type CompletionReported = DomainEvent<'supervision.completion-reported.v1', { taskId: string; summary: string; evidence: string | null; by: PersonRef; at: string }>;

/** The office's review: accepted (on to sign-off) or sent back (退回; the deadline keeps running). */
export type CompletionReviewed = DomainEvent<'supervision.completion-reviewed.v1', { taskId: string; decision: 'accept' | 'send_back'; reason: string; by: PersonRef; at: string }>;

/** 销号 by office_lead. `onTime`: the accepted completion report came by the deadline in force (approved extensions included). */
export type TaskSignedOff = DomainEvent<'supervision.task-signed-off.v1', { taskId: string; dueAt: string; onTime: boolean; by: PersonRef; at: string }>;

/** 催办. */
export type ReminderSent = DomainEvent<'supervision.reminder-sent.v1', { taskId: string; message: string; by: PersonRef; at: string }>;

/** The 包案领导 changes (a new post, a new assignment): from now on `caseLeader` answers for the task. */
export type CaseLeaderChanged = DomainEvent<'supervision.case-leader-changed.v1', { taskId: string; previous: PersonRef | null; caseLeader: PersonRef; reason: string; by: PersonRef; at: string }>;

/** 三色督办单 (blue, yellow, red) and 挂牌督办 (listed). */
export type TaskEscalated = DomainEvent<'supervision.task-escalated.v1', { taskId: string; from: EscalationLevel; level: EscalationLevel; reason: string; by: PersonRef; at: string }>;

/** 评价 / 回访 after closure. */
export type TaskEvaluated = DomainEvent<'supervision.task-evaluated.v1', { taskId: string; rating: number; comment: string | null; by: PersonRef; at: string }>;

/** A closed task is opened again (repeat petition, failed follow-up, reversal), optionally with a new deadline. */
export type TaskReopened = DomainEvent<'supervision.task-reopened.v1', { taskId: string; reason: string; previousDueAt: string; dueAt: string; by: PersonRef; at: string }>;

export type TaskCancelled = DomainEvent<'supervision.task-cancelled.v1', { taskId: string; reason: string; by: PersonRef; at: string }>;

// Recorded by the system (the scheduler) when their time comes; `dueAt` says which deadline.
export type DeadlineApproaching = DomainEvent<'supervision.deadline-approaching.v1', { taskId: string; dueAt: string; at: string }>;
export type TaskOverdue = DomainEvent<'supervision.task-overdue.v1', { taskId: string; dueAt: string; at: string }>;
export type SignForMissed = DomainEvent<'supervision.sign-for-missed.v1', { taskId: string; unitIds: string[]; signForDueAt: string; at: string }>;
export type ProgressReportMissed = DomainEvent<'supervision.progress-report-missed.v1', { taskId: string; unitId: string; dueAt: string; at: string }>;

export type TaskEvent =
  | TaskIssued
  | TaskSignedFor
  | ObjectionRaised
  | ObjectionUpheld
  | ObjectionRejected
  | ProgressReported
  | ExtensionRequested
  | ExtensionDecided
  | CompletionReported
  | CompletionReviewed
  | TaskSignedOff
  | ReminderSent
  | CaseLeaderChanged
  | TaskEscalated
  | TaskEvaluated
  | TaskReopened
  | TaskCancelled
  | DeadlineApproaching
  | TaskOverdue
  | SignForMissed
  | ProgressReportMissed;

export type TaskEventType = TaskEvent['type'];

/** Every persisted type name of the context, for projections that subscribe to them. */
export const TASK_EVENT_TYPES: readonly TaskEventType[] = [
  'supervision.task-issued.v1',
  'supervision.task-signed-for.v1',
  'supervision.objection-raised.v1',
  'supervision.objection-upheld.v1',
  'supervision.objection-rejected.v1',
  'supervision.progress-reported.v1',
  'supervision.extension-requested.v1',
  'supervision.extension-decided.v1',
  'supervision.completion-reported.v1',
  'supervision.completion-reviewed.v1',
  'supervision.task-signed-off.v1',
  'supervision.reminder-sent.v1',
  'supervision.case-leader-changed.v1',
  'supervision.task-escalated.v1',
  'supervision.task-evaluated.v1',
  'supervision.task-reopened.v1',
  'supervision.task-cancelled.v1',
  'supervision.deadline-approaching.v1',
  'supervision.task-overdue.v1',
  'supervision.sign-for-missed.v1',
  'supervision.progress-report-missed.v1',
];

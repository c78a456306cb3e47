import type { Principal } from '@app/shared-kernel';
import type { DeadlineBasis, EscalationLevel, PersonRef, TaskTerms } from './task.events';

/**
 * Every command carries who acts and the time of the request (`at`, from the Clock); deadlines
 * computed from the working-day calendar arrive ready-made, so the decider stays pure.
 */
interface Base {
  taskId: string;
  actor: Principal;
  at: string;
}

export interface IssueTask extends Base, TaskTerms {
  type: 'IssueTask';
  signForDueAt: string;
  signForBasis: DeadlineBasis;
  objectionDueAt: string;
  objectionBasis: DeadlineBasis;
}

export interface DecideObjection extends Base {
  type: 'DecideObjection';
  uphold: boolean;
  reassignTo: string | null;
  reason: string;
  /** Fresh sign-for and objection deadlines for the new lead unit when reassigning. */
  reassignDeadlines: { signForDueAt: string; objectionDueAt: string; basis: DeadlineBasis } | null;
}

export type TaskCommand =
  | IssueTask
  | (Base & { type: 'SignFor' })
  | (Base & { type: 'RaiseObjection'; reason: string })
  | DecideObjection
  | (Base & { type: 'ReportProgress'; summary: string; percent: number | null; occurredAt: string })
  | (Base & { type: 'RequestExtension'; reason: string; proposedDueAt: string; progress: string })
  | (Base & { type: 'DecideExtension'; approve: boolean; dueAt: string | null; reason: string })
  | (Base & { type: 'ReportCompletion'; summary: string; evidence: string | null })
  | (Base & { type: 'ReviewCompletion'; decision: 'accept' | 'send_back'; reason: string })
  | (Base & { type: 'SignOff' })
  | (Base & { type: 'SendReminder'; message: string })
  | (Base & { type: 'ChangeCaseLeader'; caseLeader: PersonRef; reason: string })
  | (Base & { type: 'Escalate'; level: Exclude<EscalationLevel, 'none' | 'reminder'>; reason: string })
  | (Base & { type: 'Evaluate'; rating: number; comment: string | null })
  | (Base & { type: 'Reopen'; reason: string; dueAt: string | null })
  | (Base & { type: 'Cancel'; reason: string })
  /** The scheduler: record whichever deadline events have come due by `at` (actor: system). */
  | (Base & { type: 'CheckDeadlines'; dueSoonDays: number });

export type TaskCommandType = TaskCommand['type'];

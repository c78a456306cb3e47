import type { EscalationLevel, PersonRef, SealedPetitioner, SourceKind, TaskEvent } from './task.events';

export const TASK_STATUSES = ['issued', 'acknowledged', 'objected', 'in_progress', 'extension_pending', 'under_review', 'pending_signoff', 'closed', 'cancelled', 'withdrawn'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const RAG_LIGHTS = ['green', 'yellow', 'red'] as const;
export type Rag = (typeof RAG_LIGHTS)[number];

/** States in which the task is still someone's work. */
const OPEN: ReadonlySet<TaskStatus> = new Set(['issued', 'acknowledged', 'objected', 'in_progress', 'extension_pending', 'under_review', 'pending_signoff']);
export const isOpen = (status: TaskStatus | null): boolean => status !== null && OPEN.has(status);

/**
 * Where the deadline clock runs against the unit: not while the office owes an answer to an
 * objection or is reviewing a completion report (a send-back restarts it, but never resets it).
 */
const CLOCK_RUNS: ReadonlySet<TaskStatus> = new Set(['issued', 'acknowledged', 'in_progress', 'extension_pending']);
export const deadlineClockRuns = (status: TaskStatus | null): boolean => status !== null && CLOCK_RUNS.has(status);

/** Where progress reports are owed (条例 12: 及时报送落实情况). */
const REPORTING: ReadonlySet<TaskStatus> = new Set(['acknowledged', 'in_progress', 'extension_pending']);
export const reportsOwed = (status: TaskStatus | null): boolean => status !== null && REPORTING.has(status);

export interface TaskState {
  taskId: string;
  /** null until the task is issued. */
  status: TaskStatus | null;
  title: string;
  description: string;
  source: { kind: SourceKind; ref: string | null } | null;
  leadUnitId: string;
  coUnitIds: string[];
  dueAt: string;
  /** The deadline at issue; overdue tasks are scored against it unless an extension was approved. */
  originalDueAt: string;
  signForDueAt: string;
  objectionDueAt: string;
  reportEveryDays: number | null;
  /** When the next progress report is owed. */
  reportDueAt: string | null;
  caseLeader: PersonRef | null;
  plan: string | null;
  /** Ciphertext only; null for tasks without a petitioner (and in rows folded before there were any). */
  petitioner: SealedPetitioner | null;
  escalation: EscalationLevel;
  /** Units (lead and co) that have signed for the task. */
  signedFor: string[];
  issuedAt: string;
  pendingExtension: { proposedDueAt: string; reason: string } | null;
  /** The deadline for which DeadlineApproaching / Overdue were recorded; a moved deadline re-arms them. */
  approachingFor: string | null;
  overdueFor: string | null;
  signForMissedFor: string | null;
  reportLate: boolean;
  /** When the completion report now under review (or accepted) was filed: the unit's delivery time. */
  completedAt: string | null;
  closedAt: string | null;
  closedOnTime: boolean | null;
  rating: number | null;
  sentBack: number;
  reportsMissed: number;
  lastReportAt: string | null;
}

export const initialTaskState: TaskState = {
  taskId: '',
  status: null,
  title: '',
  description: '',
  source: null,
  leadUnitId: '',
  coUnitIds: [],
  dueAt: '',
  originalDueAt: '',
  signForDueAt: '',
  objectionDueAt: '',
  reportEveryDays: null,
  reportDueAt: null,
  caseLeader: null,
  plan: null,
  petitioner: null,
  escalation: 'none',
  signedFor: [],
  issuedAt: '',
  pendingExtension: null,
  approachingFor: null,
  overdueFor: null,
  signForMissedFor: null,
  reportLate: false,
  completedAt: null,
  closedAt: null,
  closedOnTime: null,
  rating: null,
  sentBack: 0,
  reportsMissed: 0,
  lastReportAt: null,
};

const DAY_MS = 86_400_000;
export const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

/** Red when overdue, yellow when the deadline is near or a progress report is late, else green (亮灯). */
export function ragOf(state: TaskState): Rag {
  if (!deadlineClockRuns(state.status) && state.status !== 'objected') return 'green';
  if (state.overdueFor === state.dueAt) return 'red';
  if (state.approachingFor === state.dueAt || state.reportLate) return 'yellow';
  return 'green';
}

export const isOverdue = (state: TaskState): boolean => isOpen(state.status) && state.overdueFor === state.dueAt;

function nextReportDue(state: TaskState, from: string): string | null {
  return state.reportEveryDays === null ? null : addDays(from, state.reportEveryDays);
}

export function evolveTask(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'supervision.task-issued.v1': {
      const d = event.data;
      const issued: TaskState = {
        ...initialTaskState,
        taskId: d.taskId,
        status: 'issued',
        title: d.title,
        description: d.description,
        source: d.source,
        leadUnitId: d.leadUnitId,
        coUnitIds: d.coUnitIds,
        dueAt: d.dueAt,
        originalDueAt: d.dueAt,
        signForDueAt: d.signForDueAt,
        objectionDueAt: d.objectionDueAt,
        reportEveryDays: d.reportEveryDays,
        caseLeader: d.caseLeader,
        plan: d.plan,
        petitioner: d.petitioner ?? null,
        issuedAt: d.issuedAt,
      };
      return { ...issued, reportDueAt: nextReportDue(issued, d.issuedAt) };
    }
    case 'supervision.task-signed-for.v1': {
      const signedFor = [...state.signedFor, event.data.unitId];
      const leadSigned = event.data.unitId === state.leadUnitId && state.status === 'issued';
      return { ...state, signedFor, status: leadSigned ? 'acknowledged' : state.status };
    }
    case 'supervision.objection-raised.v1':
      return { ...state, status: 'objected' };
    case 'supervision.objection-upheld.v1': {
      const d = event.data;
      if (d.outcome === 'withdrawn' || d.reassignTo === null) return { ...state, status: 'withdrawn' };
      return {
        ...state,
        status: 'issued',
        leadUnitId: d.reassignTo,
        coUnitIds: state.coUnitIds.filter((u) => u !== d.reassignTo),
        signedFor: state.signedFor.filter((u) => u !== d.fromUnitId && u !== d.reassignTo),
        signForDueAt: d.signForDueAt ?? state.signForDueAt,
        objectionDueAt: d.objectionDueAt ?? state.objectionDueAt,
        signForMissedFor: null,
      };
    }
    case 'supervision.objection-rejected.v1':
      return { ...state, status: 'acknowledged', signedFor: state.signedFor.includes(state.leadUnitId) ? state.signedFor : [...state.signedFor, state.leadUnitId] };
    case 'supervision.progress-reported.v1': {
      const lastReportAt = state.lastReportAt === null ? event.data.occurredAt : later(state.lastReportAt, event.data.occurredAt);
      return { ...state, status: state.status === 'acknowledged' ? 'in_progress' : state.status, lastReportAt, reportLate: false, reportDueAt: nextReportDue(state, lastReportAt) };
    }
    case 'supervision.extension-requested.v1':
      return { ...state, status: 'extension_pending', pendingExtension: { proposedDueAt: event.data.proposedDueAt, reason: event.data.reason } };
    case 'supervision.extension-decided.v1':
      return { ...state, status: 'in_progress', pendingExtension: null, dueAt: event.data.dueAt };
    case 'supervision.completion-reported.v1':
      return { ...state, status: 'under_review', completedAt: event.data.at };
    case 'supervision.completion-reviewed.v1':
      return event.data.decision === 'accept' ? { ...state, status: 'pending_signoff' } : { ...state, status: 'in_progress', completedAt: null, sentBack: state.sentBack + 1 };
    case 'supervision.task-signed-off.v1':
      return { ...state, status: 'closed', closedAt: event.data.at, closedOnTime: event.data.onTime };
    case 'supervision.reminder-sent.v1':
      return { ...state, escalation: state.escalation === 'none' ? 'reminder' : state.escalation };
    case 'supervision.case-leader-changed.v1':
      return { ...state, caseLeader: event.data.caseLeader };
    case 'supervision.task-escalated.v1':
      return { ...state, escalation: event.data.level };
    case 'supervision.task-evaluated.v1':
      return { ...state, rating: event.data.rating };
    case 'supervision.task-reopened.v1':
      return { ...state, status: 'in_progress', dueAt: event.data.dueAt, completedAt: null, closedAt: null, closedOnTime: null, reportLate: false, reportDueAt: nextReportDue(state, event.data.at) };
    case 'supervision.task-cancelled.v1':
      return { ...state, status: 'cancelled' };
    case 'supervision.deadline-approaching.v1':
      return { ...state, approachingFor: event.data.dueAt };
    case 'supervision.task-overdue.v1':
      return { ...state, overdueFor: event.data.dueAt };
    case 'supervision.sign-for-missed.v1':
      return { ...state, signForMissedFor: event.data.signForDueAt };
    case 'supervision.progress-report-missed.v1':
      return { ...state, reportLate: true, reportsMissed: state.reportsMissed + 1, reportDueAt: nextReportDue(state, event.data.dueAt) };
  }
}

import { DomainError, toBeijingIso, type Principal } from '@app/shared-kernel';
import { deadlineClockRuns, isOverdue, ragOf, reportsOwed, type TaskState } from '@app/supervision';

/** API.md's task: the binding fields first, then what a reader of the board also needs. */
export interface TaskView {
  id: string;
  title: string;
  description: string;
  source: TaskState['source'];
  status: TaskState['status'];
  leadUnitId: string;
  coUnitIds: string[];
  dueAt: string;
  originalDueAt: string;
  escalation: TaskState['escalation'];
  rag: ReturnType<typeof ragOf>;
  overdue: boolean;
  caseLeader: TaskState['caseLeader'];
  plan: string | null;
  /**
   * As stored: ciphertext, never plaintext. The api discloses it per reader (redacted, opened for
   * inspectors and logged, or erased once shredded); audit reads show it as stored.
   */
  petitioner: TaskState['petitioner'];
  signForDueAt: string;
  objectionDueAt: string;
  signedFor: string[];
  reportEveryDays: number | null;
  reportDueAt: string | null;
  lastReportAt: string | null;
  pendingExtension: { proposedDueAt: string; reason: string } | null;
  sentBack: number;
  reportsMissed: number;
  rating: number | null;
  issuedAt: string;
  completedAt: string | null;
  closedAt: string | null;
  closedOnTime: boolean | null;
  version: number;
  position: number;
}

/** A task as a board lists it: enough to see where it stands; GET /tasks/{id} has the rest. */
export interface TaskSummary {
  id: string;
  title: string;
  status: TaskState['status'];
  leadUnitId: string;
  coUnitIds: string[];
  dueAt: string;
  rag: ReturnType<typeof ragOf>;
  escalation: TaskState['escalation'];
  overdue: boolean;
  version: number;
}

export interface TaskRow {
  state: TaskState;
  version: number;
  position: string | number;
  overdue: boolean;
}

const bj = (iso: string): string => toBeijingIso(iso);
const bjOrNull = (iso: string | null): string | null => (iso === null ? null : toBeijingIso(iso));

export function taskView(row: TaskRow): TaskView {
  const s = row.state;
  return {
    id: s.taskId,
    title: s.title,
    description: s.description,
    source: s.source,
    status: s.status,
    leadUnitId: s.leadUnitId,
    coUnitIds: s.coUnitIds,
    dueAt: bj(s.dueAt),
    originalDueAt: bj(s.originalDueAt),
    escalation: s.escalation,
    rag: ragOf(s),
    overdue: row.overdue,
    caseLeader: s.caseLeader,
    plan: s.plan,
    // Rows folded before tasks had petitioners have no such key.
    petitioner: s.petitioner ?? null,
    signForDueAt: bj(s.signForDueAt),
    objectionDueAt: bj(s.objectionDueAt),
    signedFor: s.signedFor,
    reportEveryDays: s.reportEveryDays,
    reportDueAt: bjOrNull(s.reportDueAt),
    lastReportAt: bjOrNull(s.lastReportAt),
    pendingExtension: s.pendingExtension === null ? null : { proposedDueAt: bj(s.pendingExtension.proposedDueAt), reason: s.pendingExtension.reason },
    sentBack: s.sentBack,
    reportsMissed: s.reportsMissed,
    rating: s.rating,
    issuedAt: bj(s.issuedAt),
    completedAt: bjOrNull(s.completedAt),
    closedAt: bjOrNull(s.closedAt),
    closedOnTime: s.closedOnTime,
    version: row.version,
    position: Number(row.position),
  };
}

export function taskSummary(s: TaskState, version: number): TaskSummary {
  return { id: s.taskId, title: s.title, status: s.status, leadUnitId: s.leadUnitId, coUnitIds: s.coUnitIds, dueAt: bj(s.dueAt), rag: ragOf(s), escalation: s.escalation, overdue: isOverdue(s), version };
}

/**
 * What a unit's board shows of an open task, worked out when the task changes rather than on
 * every read: boards are read far more often than tasks change.
 */
export interface BoardEntry {
  summary: TaskSummary;
  dueSoon: boolean;
  /** While the deadline clock runs: the sign-for deadline and the units that have not signed. */
  signFor: { dueAt: string; unsigned: string[] } | null;
  /** For the lead unit: when the next progress report is due, and the completion report once the light is not green. */
  progressReportDueAt: string | null;
  completionReportDueAt: string | null;
}

export function boardEntry(s: TaskState, version: number): BoardEntry {
  const summary = taskSummary(s, version);
  const clock = deadlineClockRuns(s.status);
  const owed = clock && reportsOwed(s.status);
  const unsigned = [s.leadUnitId, ...s.coUnitIds].filter((u) => !s.signedFor.includes(u));
  return {
    summary,
    dueSoon: s.approachingFor === s.dueAt && !summary.overdue,
    signFor: clock && unsigned.length > 0 ? { dueAt: bj(s.signForDueAt), unsigned } : null,
    progressReportDueAt: owed ? bjOrNull(s.reportDueAt) : null,
    completionReportDueAt: owed && summary.rag !== 'green' ? bj(s.dueAt) : null,
  };
}

/** The office and inspectors read every task; a unit user only its own unit's (DESIGN.md §6). */
export function seesAllTasks(principal: Principal): boolean {
  return principal.roles.some((r) => r === 'office' || r === 'office_lead' || r === 'inspector');
}

/** The unit whose tasks a unit user may read; refuses anyone else. */
export function ownUnitOf(principal: Principal): string {
  if (principal.unitId === null || !principal.roles.some((r) => r === 'unit' || r === 'unit_lead')) {
    throw new DomainError('forbidden', 'ROLE_NOT_ALLOWED', 'Only the office, inspectors and the units involved may read tasks.');
  }
  return principal.unitId;
}

import type { TaskEvent } from './task.events';
import { addDays, deadlineClockRuns, reportsOwed, type TaskState } from './task.state';

const at = (iso: string): number => Date.parse(iso);

/** Catching up after downtime records each missed report, but never an unbounded burst. */
const MAX_MISSED_REPORTS_PER_CHECK = 60;

function unsignedUnits(state: TaskState): string[] {
  return [state.leadUnitId, ...state.coUnitIds].filter((u) => !state.signedFor.includes(u));
}

function signForCheck(state: TaskState): string | null {
  const armed = deadlineClockRuns(state.status) && state.signForMissedFor !== state.signForDueAt && unsignedUnits(state).length > 0;
  return armed ? state.signForDueAt : null;
}

function approachingCheck(state: TaskState, dueSoonDays: number): string | null {
  return deadlineClockRuns(state.status) && state.approachingFor !== state.dueAt && state.overdueFor !== state.dueAt ? addDays(state.dueAt, -dueSoonDays) : null;
}

function overdueCheck(state: TaskState): string | null {
  return deadlineClockRuns(state.status) && state.overdueFor !== state.dueAt ? state.dueAt : null;
}

function reportCheck(state: TaskState): string | null {
  return reportsOwed(state.status) ? state.reportDueAt : null;
}

/**
 * The system's deadline events that have come due by `now` and are not yet recorded. Each
 * deadline is recorded once: the state remembers for which deadline it fired, so a repeated check
 * decides nothing and a moved deadline (an approved extension, a reopening) arms it again.
 */
export function dueDeadlineEvents(state: TaskState, now: string, dueSoonDays: number): TaskEvent[] {
  const events: TaskEvent[] = [];
  const t = at(now);
  const signFor = signForCheck(state);
  if (signFor !== null && at(signFor) <= t) {
    events.push({ type: 'supervision.sign-for-missed.v1', data: { taskId: state.taskId, unitIds: unsignedUnits(state), signForDueAt: signFor, at: now } });
  }
  const overdue = overdueCheck(state);
  const approaching = approachingCheck(state, dueSoonDays);
  if (overdue !== null && at(overdue) <= t) {
    events.push({ type: 'supervision.task-overdue.v1', data: { taskId: state.taskId, dueAt: state.dueAt, at: now } });
  } else if (approaching !== null && at(approaching) <= t) {
    events.push({ type: 'supervision.deadline-approaching.v1', data: { taskId: state.taskId, dueAt: state.dueAt, at: now } });
  }
  let reportDue = reportCheck(state);
  for (let n = 0; reportDue !== null && at(reportDue) <= t && n < MAX_MISSED_REPORTS_PER_CHECK; n += 1) {
    events.push({ type: 'supervision.progress-report-missed.v1', data: { taskId: state.taskId, unitId: state.leadUnitId, dueAt: reportDue, at: now } });
    reportDue = addDays(reportDue, state.reportEveryDays ?? 0);
  }
  return events;
}

/**
 * What a scheduler needs to find the task again: the earliest moment a sign-for, overdue or
 * report check could record something, and the deadline an approaching warning is still armed for
 * (the warning comes `dueSoonDays` before it, which is configuration and not the read model's).
 */
export function pendingDeadlineChecks(state: TaskState): { checkAt: string | null; approachingFor: string | null } {
  const fixed = [signForCheck(state), overdueCheck(state), reportCheck(state)].filter((c): c is string => c !== null);
  const checkAt = fixed.length === 0 ? null : fixed.reduce((a, b) => (at(a) <= at(b) ? a : b));
  return { checkAt, approachingFor: approachingCheck(state, 0) === null ? null : state.dueAt };
}

/** The earliest moment a deadline check could record something for this task; null when none can. */
export function nextDeadlineCheck(state: TaskState, dueSoonDays: number): string | null {
  const { checkAt, approachingFor } = pendingDeadlineChecks(state);
  const candidates = [checkAt, approachingFor === null ? null : addDays(approachingFor, -dueSoonDays)].filter((c): c is string => c !== null);
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (at(a) <= at(b) ? a : b));
}

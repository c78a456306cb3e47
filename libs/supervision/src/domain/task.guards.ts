import { DomainError, type Principal, type Role } from '@app/shared-kernel';
import type { PersonRef } from './task.events';
import { isOpen, type TaskState, type TaskStatus } from './task.state';

export const personOf = (actor: Principal): PersonRef => ({ personId: actor.personId, name: actor.name });

export function requireRole(actor: Principal, roles: readonly Role[], what: string): void {
  if (!roles.some((r) => actor.roles.includes(r))) {
    throw new DomainError('forbidden', 'ROLE_NOT_ALLOWED', `Only ${roles.join(' or ')} may ${what}.`);
  }
}

export function requireIssued(state: TaskState): void {
  if (state.status === null) throw new DomainError('not_found', 'TASK_NOT_FOUND', `There is no task ${state.taskId || 'with this id'}.`);
}

export function requireOpen(state: TaskState): void {
  requireIssued(state);
  if (!isOpen(state.status)) throw new DomainError('rule', 'TASK_NOT_OPEN', `The task is ${state.status}; nothing more can be done on it.`);
}

export function requireStatus(state: TaskState, allowed: readonly TaskStatus[], code: string, what: string): void {
  requireOpenOrClosed(state);
  if (!allowed.includes(state.status as TaskStatus)) {
    throw new DomainError('rule', code, `The task is ${state.status}; ${what} needs it to be ${allowed.join(' or ')}.`);
  }
}

function requireOpenOrClosed(state: TaskState): void {
  requireIssued(state);
  if (state.status === 'cancelled' || state.status === 'withdrawn') {
    throw new DomainError('rule', 'TASK_NOT_OPEN', `The task is ${state.status}; nothing more can be done on it.`);
  }
}

/** A unit user acts only on tasks where its unit is the lead or a co-unit (DESIGN.md §6). */
export function requireInvolvedUnit(state: TaskState, actor: Principal): string {
  const unitId = actor.unitId;
  if (unitId === null || (unitId !== state.leadUnitId && !state.coUnitIds.includes(unitId))) {
    throw new DomainError('forbidden', 'NOT_YOUR_TASK', 'Your unit is neither the lead unit nor a co-unit of this task.');
  }
  return unitId;
}

/** What only the lead unit (牵头单位) may do: object, ask for more time, report completion. */
export function requireLeadUnit(state: TaskState, actor: Principal, what: string): string {
  const unitId = requireInvolvedUnit(state, actor);
  if (unitId !== state.leadUnitId) throw new DomainError('forbidden', 'LEAD_UNIT_ONLY', `Only the lead unit may ${what}; your unit is a co-unit.`);
  return unitId;
}

export const before = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b);

import { DomainError, type Principal } from '@app/shared-kernel';

/** The office and inspectors read every unit's governance records. */
const seesAllUnits = (principal: Principal): boolean => principal.roles.some((r) => r === 'office' || r === 'office_lead' || r === 'inspector');

const notYours = (): DomainError => new DomainError('forbidden', 'NOT_YOUR_UNIT', 'A unit reads only its own unit’s records.', [{ field: 'unitId', message: 'not your unit' }]);

/**
 * The unit a list is narrowed to: the one asked for (null: all) for the office and inspectors; a
 * unit user's own, and a refusal when it asks for another unit's.
 */
export function listScope(principal: Principal, requested: string | null): string | null {
  if (seesAllUnits(principal)) return requested;
  if (principal.unitId === null || !principal.roles.some((r) => r === 'unit' || r === 'unit_lead')) {
    throw new DomainError('forbidden', 'ROLE_NOT_ALLOWED', 'Only the office, inspectors and member units read governance records.');
  }
  if (requested !== null && requested !== principal.unitId) throw notYours();
  return principal.unitId;
}

/** Refuses a unit user reading a record about another unit. */
export function requireReadable(principal: Principal, unitId: string): void {
  const own = listScope(principal, null);
  if (own !== null && own !== unitId) throw notYours();
}

import type { AccessLog, AccessRecord } from '@app/audit';
import type { Principal } from '@app/shared-kernel';
import { currentRequestIds } from '../http/request-ids';

type Param = string | number | boolean | null | undefined | readonly string[];

/**
 * Records who read what (DESIGN.md §6) before the reply leaves: a read whose access cannot be
 * recorded fails with it. Absent parameters are kept as null so every entry of a resource has one shape.
 */
export async function recordAccess(log: AccessLog, principal: Principal, resource: string, params: Record<string, Param>): Promise<void> {
  const flat: AccessRecord['params'] = {};
  for (const [key, value] of Object.entries(params)) flat[key] = value === undefined ? null : Array.isArray(value) ? value.join(',') : (value as AccessRecord['params'][string]);
  await log.record({ personId: principal.personId, name: principal.name, unitId: principal.unitId, roles: principal.roles }, { resource, params: flat }, currentRequestIds() ?? null);
}

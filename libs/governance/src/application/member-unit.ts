import type { DeciderRunner } from '@app/event-store';
import { DomainError } from '@app/shared-kernel';
import { unitStreamId } from '@app/units';

/** The unit a governance record is about must be a member unit: another aggregate, so checked by the handler. */
export async function requireMemberUnit(runner: DeciderRunner, unitId: string): Promise<void> {
  if (!(await runner.exists(unitStreamId(unitId)))) throw new DomainError('rule', 'UNKNOWN_UNIT', `There is no member unit ${unitId}.`, [{ field: 'unitId', message: 'no such unit' }]);
}

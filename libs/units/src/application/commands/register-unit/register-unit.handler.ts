import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { DomainError } from '@app/shared-kernel';
import { unitDecider, unitStreamId } from '../../../domain/unit.decider';
import type { UnitEvent } from '../../../domain/unit.events';
import { RegisterUnitCommand } from './register-unit.command';

@CommandHandler(RegisterUnitCommand)
export class RegisterUnitHandler implements ICommandHandler<RegisterUnitCommand> {
  constructor(private readonly runner: DeciderRunner) {}

  async execute({ input, context }: RegisterUnitCommand): Promise<CommandResult<UnitEvent>> {
    // A parent (e.g. the district of a township) is another aggregate: checked here, not in the decider.
    if (input.parentId !== null && !(await this.runner.exists(unitStreamId(input.parentId)))) {
      throw new DomainError('rule', 'PARENT_UNIT_NOT_FOUND', `There is no member unit ${input.parentId} to be the parent.`);
    }
    return this.runner.run(unitStreamId(input.unitId), unitDecider, { type: 'RegisterUnit', ...input }, context);
  }
}

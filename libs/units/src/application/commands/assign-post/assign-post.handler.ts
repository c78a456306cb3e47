import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { unitDecider, unitStreamId } from '../../../domain/unit.decider';
import type { UnitEvent } from '../../../domain/unit.events';
import { AssignPostCommand } from './assign-post.command';

@CommandHandler(AssignPostCommand)
export class AssignPostHandler implements ICommandHandler<AssignPostCommand> {
  constructor(private readonly runner: DeciderRunner) {}

  execute({ input, context }: AssignPostCommand): Promise<CommandResult<UnitEvent>> {
    return this.runner.run(unitStreamId(input.unitId), unitDecider, { type: 'AssignPost', ...input }, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { unitDecider, unitStreamId } from '../../../domain/unit.decider';
import type { UnitEvent } from '../../../domain/unit.events';
import { EndPostCommand } from './end-post.command';

@CommandHandler(EndPostCommand)
export class EndPostHandler implements ICommandHandler<EndPostCommand> {
  constructor(private readonly runner: DeciderRunner) {}

  execute({ input, context }: EndPostCommand): Promise<CommandResult<UnitEvent>> {
    return this.runner.run(unitStreamId(input.unitId), unitDecider, { type: 'EndPost', ...input }, context);
  }
}

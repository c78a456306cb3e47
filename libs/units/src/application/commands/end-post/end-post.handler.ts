import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, runDecider, type CommandResult } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { unitDecider, unitStreamId } from '../../../domain/unit.decider';
import type { UnitEvent } from '../../../domain/unit.events';
import { EndPostCommand } from './end-post.command';

@CommandHandler(EndPostCommand)
export class EndPostHandler implements ICommandHandler<EndPostCommand> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ input, context }: EndPostCommand): Promise<CommandResult<UnitEvent>> {
    return runDecider(this.store, this.clock, unitStreamId(input.unitId), unitDecider, { type: 'EndPost', ...input }, context);
  }
}

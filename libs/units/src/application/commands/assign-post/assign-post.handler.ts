import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, runDecider, type CommandResult } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { unitDecider, unitStreamId } from '../../../domain/unit.decider';
import type { UnitEvent } from '../../../domain/unit.events';
import { AssignPostCommand } from './assign-post.command';

@CommandHandler(AssignPostCommand)
export class AssignPostHandler implements ICommandHandler<AssignPostCommand> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ input, context }: AssignPostCommand): Promise<CommandResult<UnitEvent>> {
    return runDecider(this.store, this.clock, unitStreamId(input.unitId), unitDecider, { type: 'AssignPost', ...input }, context);
  }
}

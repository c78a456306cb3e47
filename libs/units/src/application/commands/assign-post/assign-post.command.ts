import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { Post, UnitEvent } from '../../../domain/unit.events';

export interface AssignPostInput {
  unitId: string;
  personId: string;
  name: string;
  post: Post;
  /** ISO 8601; the time of the request when the client gives none. */
  from: string;
}

export class AssignPostCommand extends Command<CommandResult<UnitEvent>> {
  constructor(
    readonly input: AssignPostInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { UnitEvent } from '../../../domain/unit.events';

export interface EndPostInput {
  unitId: string;
  personId: string;
  /** ISO 8601; the time of the request when the client gives none. */
  at: string;
  reason: string | null;
}

export class EndPostCommand extends Command<CommandResult<UnitEvent>> {
  constructor(
    readonly input: EndPostInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { BulletinEvent } from '../../../domain/bulletin.events';

export interface IssueBulletinInput {
  /** YYYY-MM, a Beijing calendar month that has ended. */
  period: string;
}

export class IssueBulletinCommand extends Command<CommandResult<BulletinEvent>> {
  constructor(
    readonly input: IssueBulletinInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

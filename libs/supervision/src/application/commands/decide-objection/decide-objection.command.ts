import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export interface DecideObjectionInput {
  uphold: boolean;
  /** With uphold: the unit that takes the task over; none means the task is withdrawn. */
  reassignTo: string | null;
  reason: string;
}

export class DecideObjectionCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: DecideObjectionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type CancelTaskInput = { reason: string };

export class CancelTaskCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: CancelTaskInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

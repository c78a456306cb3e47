import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type ReopenTaskInput = { reason: string; dueAt: string | null };

export class ReopenTaskCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: ReopenTaskInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type SendReminderInput = { message: string };

export class SendReminderCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: SendReminderInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

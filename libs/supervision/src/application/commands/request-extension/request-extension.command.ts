import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type RequestExtensionInput = { reason: string; proposedDueAt: string; progress: string };

export class RequestExtensionCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: RequestExtensionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

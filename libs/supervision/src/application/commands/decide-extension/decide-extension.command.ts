import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type DecideExtensionInput = { approve: boolean; dueAt: string | null; reason: string };

export class DecideExtensionCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: DecideExtensionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

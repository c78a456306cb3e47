import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type EvaluateTaskInput = { rating: number; comment: string | null };

export class EvaluateTaskCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: EvaluateTaskInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

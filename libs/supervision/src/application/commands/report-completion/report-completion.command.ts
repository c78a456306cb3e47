import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type ReportCompletionInput = { summary: string; evidence: string | null };

export class ReportCompletionCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: ReportCompletionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

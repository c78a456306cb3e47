import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type ReviewCompletionInput = { decision: 'accept' | 'send_back'; reason: string };

export class ReviewCompletionCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: ReviewCompletionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

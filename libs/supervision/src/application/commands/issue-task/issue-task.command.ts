import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent, TaskTerms } from '../../../domain/task.events';

/** The task's terms; the sign-for deadline defaults to the policy's working days from now (1), never later than the task deadline. */
export interface IssueTaskInput extends TaskTerms {
  signForDueAt: string | null;
}

export class IssueTaskCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: IssueTaskInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { ReviewCompletionCommand } from './review-completion.command';

@CommandHandler(ReviewCompletionCommand)
export class ReviewCompletionHandler implements ICommandHandler<ReviewCompletionCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: ReviewCompletionCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'ReviewCompletion', ...input }, context);
  }
}

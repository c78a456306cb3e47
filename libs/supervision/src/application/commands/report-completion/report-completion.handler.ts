import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { ReportCompletionCommand } from './report-completion.command';

@CommandHandler(ReportCompletionCommand)
export class ReportCompletionHandler implements ICommandHandler<ReportCompletionCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: ReportCompletionCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'ReportCompletion', ...input }, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { SignForTaskCommand } from './sign-for-task.command';

@CommandHandler(SignForTaskCommand)
export class SignForTaskHandler implements ICommandHandler<SignForTaskCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: SignForTaskCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'SignFor', ...input }, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { SignOffTaskCommand } from './sign-off-task.command';

@CommandHandler(SignOffTaskCommand)
export class SignOffTaskHandler implements ICommandHandler<SignOffTaskCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: SignOffTaskCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'SignOff', ...input }, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { ReopenTaskCommand } from './reopen-task.command';

@CommandHandler(ReopenTaskCommand)
export class ReopenTaskHandler implements ICommandHandler<ReopenTaskCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: ReopenTaskCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'Reopen', ...input }, context);
  }
}

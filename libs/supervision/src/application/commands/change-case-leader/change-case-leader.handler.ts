import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { ChangeCaseLeaderCommand } from './change-case-leader.command';

@CommandHandler(ChangeCaseLeaderCommand)
export class ChangeCaseLeaderHandler implements ICommandHandler<ChangeCaseLeaderCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: ChangeCaseLeaderCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'ChangeCaseLeader', ...input }, context);
  }
}

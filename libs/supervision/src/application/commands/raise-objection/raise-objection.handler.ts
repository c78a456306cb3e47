import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { RaiseObjectionCommand } from './raise-objection.command';

@CommandHandler(RaiseObjectionCommand)
export class RaiseObjectionHandler implements ICommandHandler<RaiseObjectionCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: RaiseObjectionCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'RaiseObjection', ...input }, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { DecideExtensionCommand } from './decide-extension.command';

@CommandHandler(DecideExtensionCommand)
export class DecideExtensionHandler implements ICommandHandler<DecideExtensionCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: DecideExtensionCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'DecideExtension', ...input }, context);
  }
}

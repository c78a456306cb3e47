import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { RequestExtensionCommand } from './request-extension.command';

@CommandHandler(RequestExtensionCommand)
export class RequestExtensionHandler implements ICommandHandler<RequestExtensionCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: RequestExtensionCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'RequestExtension', ...input }, context);
  }
}

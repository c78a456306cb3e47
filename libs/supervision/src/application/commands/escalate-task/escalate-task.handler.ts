import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { EscalateTaskCommand } from './escalate-task.command';

@CommandHandler(EscalateTaskCommand)
export class EscalateTaskHandler implements ICommandHandler<EscalateTaskCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: EscalateTaskCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'Escalate', ...input }, context);
  }
}

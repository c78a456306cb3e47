import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { EvaluateTaskCommand } from './evaluate-task.command';

@CommandHandler(EvaluateTaskCommand)
export class EvaluateTaskHandler implements ICommandHandler<EvaluateTaskCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: EvaluateTaskCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'Evaluate', ...input }, context);
  }
}

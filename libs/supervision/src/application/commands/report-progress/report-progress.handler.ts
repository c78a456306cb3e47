import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { ReportProgressCommand } from './report-progress.command';

@CommandHandler(ReportProgressCommand)
export class ReportProgressHandler implements ICommandHandler<ReportProgressCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: ReportProgressCommand): Promise<CommandResult<TaskEvent>> {
    const occurredAt = input.occurredAt ?? this.tasks.now().toISOString();
    // The envelope's business time is the report's, so history shows when the work happened.
    return this.tasks.run(taskId, { type: 'ReportProgress', summary: input.summary, percent: input.percent, occurredAt }, { ...context, occurredAt: new Date(occurredAt) });
  }
}

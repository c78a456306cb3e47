import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

/** The scheduler's: record the deadline events of one task that have come due. */
export class CheckTaskDeadlinesCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    /** The scheduler run this check belongs to, as the events' correlation id. */
    readonly runId: string,
  ) {
    super();
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import { uuidv5, type DomainEvent } from '@app/shared-kernel';
import { taskStreamId } from '../../../domain/task.decider';
import type { TaskEvent } from '../../../domain/task.events';
import { SupervisionPolicy } from '../../supervision-policy';
import { TaskCommandRunner } from '../../task-command-runner';
import { CheckTaskDeadlinesCommand } from './check-task-deadlines.command';

/** The clock acts as the system (DESIGN.md §5). */
export const SYSTEM_ACTOR = { personId: 'system', name: 'system', unitId: null, roles: [] };

/** Which deadline an event is about: the same deadline always gives the same event id. */
function deadlineOf(event: DomainEvent): string {
  const data = event.data as { dueAt?: string; signForDueAt?: string };
  return data.dueAt ?? data.signForDueAt ?? '';
}

@CommandHandler(CheckTaskDeadlinesCommand)
export class CheckTaskDeadlinesHandler implements ICommandHandler<CheckTaskDeadlinesCommand> {
  constructor(
    private readonly tasks: TaskCommandRunner,
    private readonly policy: SupervisionPolicy,
  ) {}

  execute({ taskId, runId }: CheckTaskDeadlinesCommand): Promise<CommandResult<TaskEvent>> {
    // Two processes checking the same task decide the same events with the same ids at the same
    // expected version: one append wins, the other re-decides on the new state and finds nothing.
    const streamId = taskStreamId(taskId);
    return this.tasks.run(
      taskId,
      { type: 'CheckDeadlines', dueSoonDays: this.policy.dueSoonDays },
      { actor: SYSTEM_ACTOR, correlationId: runId, causationId: null, requestId: null, eventIds: (event) => uuidv5(`${streamId}|${event.type}|${deadlineOf(event)}`) },
    );
  }
}

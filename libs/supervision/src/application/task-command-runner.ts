import type { CommandContext, CommandResult, DeciderRunner } from '@app/event-store';
import { type Clock, ROLES, type Principal, type Role } from '@app/shared-kernel';
import type { TaskCommand } from '../domain/task.commands';
import { taskDecider, taskStreamId } from '../domain/task.decider';
import type { TaskEvent } from '../domain/task.events';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A task command as a use case states it; who and when are filled in from the request. */
export type TaskCommandBody = DistributiveOmit<TaskCommand, 'taskId' | 'actor' | 'at'>;

export function principalOf(actor: CommandContext['actor']): Principal {
  return { personId: actor.personId, name: actor.name, unitId: actor.unitId, roles: actor.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) };
}

/** Every task use case ends here: the actor and the time are added and the decider runs on the task's stream. */
export class TaskCommandRunner {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  run(taskId: string, body: TaskCommandBody, context: CommandContext): Promise<CommandResult<TaskEvent>> {
    const command = { ...body, taskId, actor: principalOf(context.actor), at: this.clock.now().toISOString() } as TaskCommand;
    return this.runner.run(taskStreamId(taskId), taskDecider, command, context);
  }

  /** Whether the aggregate behind a stream exists (a unit a task is handed to). */
  exists(streamId: string): Promise<boolean> {
    return this.runner.exists(streamId);
  }

  now(): Date {
    return this.clock.now();
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { workingDeadline } from '@app/calendar';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { SupervisionPolicy } from '../../supervision-policy';
import { TaskCommandRunner } from '../../task-command-runner';
import { requireUnits } from '../issue-task/issue-task.handler';
import { DecideObjectionCommand } from './decide-objection.command';

@CommandHandler(DecideObjectionCommand)
export class DecideObjectionHandler implements ICommandHandler<DecideObjectionCommand> {
  constructor(
    private readonly tasks: TaskCommandRunner,
    private readonly policy: SupervisionPolicy,
  ) {}

  async execute({ taskId, input, context }: DecideObjectionCommand): Promise<CommandResult<TaskEvent>> {
    const reassignTo = input.uphold ? input.reassignTo : null;
    let reassignDeadlines = null;
    if (reassignTo !== null) {
      await requireUnits(this.tasks, [reassignTo]);
      // The new lead unit gets the same windows a freshly issued task gives.
      const now = this.tasks.now();
      const { calendar, signForWorkingDays, objectionWorkingDays } = this.policy;
      const signFor = workingDeadline(calendar, now, signForWorkingDays, `sign-for after reassignment: ${signForWorkingDays} working day(s)`);
      const objection = workingDeadline(calendar, now, objectionWorkingDays, `objection: ${objectionWorkingDays} working days`);
      reassignDeadlines = { signForDueAt: signFor.dueAt, objectionDueAt: objection.dueAt, basis: { rule: `${signFor.rule}; ${objection.rule}`, calendar: calendar.name } };
    }
    return this.tasks.run(taskId, { type: 'DecideObjection', uphold: input.uphold, reassignTo, reason: input.reason, reassignDeadlines }, context);
  }
}

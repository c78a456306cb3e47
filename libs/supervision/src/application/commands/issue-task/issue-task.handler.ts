import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { workingDeadline } from '@app/calendar';
import type { CommandResult } from '@app/event-store';
import { DomainError } from '@app/shared-kernel';
import { unitStreamId } from '@app/units';
import type { TaskEvent } from '../../../domain/task.events';
import { SupervisionPolicy } from '../../supervision-policy';
import { TaskCommandRunner } from '../../task-command-runner';
import { IssueTaskCommand } from './issue-task.command';

@CommandHandler(IssueTaskCommand)
export class IssueTaskHandler implements ICommandHandler<IssueTaskCommand> {
  constructor(
    private readonly tasks: TaskCommandRunner,
    private readonly policy: SupervisionPolicy,
  ) {}

  async execute({ taskId, input, context }: IssueTaskCommand): Promise<CommandResult<TaskEvent>> {
    await requireUnits(this.tasks, [input.leadUnitId, ...input.coUnitIds]);
    const now = this.tasks.now();
    const { calendar, signForWorkingDays: signDays, objectionWorkingDays: objectionDays } = this.policy;
    const objection = workingDeadline(calendar, now, objectionDays, `objection: ${objectionDays} working days`);
    let signFor = input.signForDueAt === null ? workingDeadline(calendar, now, signDays, `sign-for: ${signDays} working day(s)`) : { dueAt: input.signForDueAt, rule: 'sign-for: set by the office', calendar: 'none' };
    // A task due sooner than the default sign-for window must be signed for by its own deadline.
    if (input.signForDueAt === null && Date.parse(signFor.dueAt) > Date.parse(input.dueAt)) signFor = { dueAt: input.dueAt, rule: 'sign-for: the task deadline, which comes first', calendar: 'none' };
    return this.tasks.run(
      taskId,
      {
        type: 'IssueTask',
        ...input,
        signForDueAt: signFor.dueAt,
        signForBasis: { rule: signFor.rule, calendar: signFor.calendar },
        objectionDueAt: objection.dueAt,
        objectionBasis: { rule: objection.rule, calendar: objection.calendar },
      },
      context,
    );
  }
}

/** The units a task is handed to must exist: another aggregate, so checked here and not in the decider. */
export async function requireUnits(tasks: TaskCommandRunner, unitIds: string[]): Promise<void> {
  for (const [i, unitId] of unitIds.entries()) {
    if (!(await tasks.exists(unitStreamId(unitId)))) {
      throw new DomainError('rule', 'UNKNOWN_UNIT', `There is no member unit ${unitId}.`, [{ field: i === 0 ? 'leadUnitId' : `coUnitIds.${i - 1}`, message: 'no such unit' }]);
    }
  }
}

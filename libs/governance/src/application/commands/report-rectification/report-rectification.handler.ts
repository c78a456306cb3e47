import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { interviewDecider } from '../../../domain/interview.decider';
import { interviewStreamId, type InterviewEvent } from '../../../domain/interview.events';
import { ReportRectificationCommand } from './report-rectification.command';

@CommandHandler(ReportRectificationCommand)
export class ReportRectificationHandler implements ICommandHandler<ReportRectificationCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  /** A report counts from when it is recorded: that is what tells a late rectification from one on time. */
  execute({ input, context }: ReportRectificationCommand): Promise<CommandResult<InterviewEvent>> {
    const command = { type: 'ReportRectification' as const, ...input, reporterUnitId: context.actor.unitId, now: this.clock.now().toISOString() };
    return this.runner.run(interviewStreamId(input.interviewId), interviewDecider, command, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { Clock, DomainError } from '@app/shared-kernel';
import { reportingWindowDecider } from '../../../domain/reporting-window.decider';
import { reportingWindowStreamId, type ReportingWindowEvent } from '../../../domain/reporting-window.events';
import { FileDailyReportCommand } from './file-daily-report.command';

@CommandHandler(FileDailyReportCommand)
export class FileDailyReportHandler implements ICommandHandler<FileDailyReportCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  /** A report counts from when it is recorded: that is what tells a late one from one on time. */
  execute({ input, context }: FileDailyReportCommand): Promise<CommandResult<ReportingWindowEvent>> {
    const unitId = context.actor.unitId;
    if (unitId === null) throw new DomainError('forbidden', 'UNIT_REQUIRED', 'Daily reports are filed by a unit user for its own unit; this token names no unit.');
    const now = this.clock.now().toISOString();
    return this.runner.run(reportingWindowStreamId(input.windowId), reportingWindowDecider, { type: 'FileDailyReport', ...input, unitId, now }, context);
  }
}

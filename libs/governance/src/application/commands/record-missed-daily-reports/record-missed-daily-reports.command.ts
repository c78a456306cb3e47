import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { ReportingWindowEvent } from '../../../domain/reporting-window.events';

/** The scheduler's: record every daily report of one window missed at a cut-off passed by now. */
export class RecordMissedDailyReportsCommand extends Command<CommandResult<ReportingWindowEvent>> {
  constructor(
    readonly windowId: string,
    /** The scheduler run this check belongs to, as the events' correlation id. */
    readonly runId: string,
  ) {
    super();
  }
}

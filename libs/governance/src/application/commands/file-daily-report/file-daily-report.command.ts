import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { ReportingWindowEvent, ReportItem } from '../../../domain/reporting-window.events';

export interface FileDailyReportInput {
  windowId: string;
  /** The Beijing calendar day reported on, YYYY-MM-DD. */
  date: string;
  nil: boolean;
  items: ReportItem[];
}

/** The reporting unit is not input: it is the caller's own unit (context.actor.unitId). */
export class FileDailyReportCommand extends Command<CommandResult<ReportingWindowEvent>> {
  constructor(
    readonly input: FileDailyReportInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { ReportingWindowEvent } from '../../../domain/reporting-window.events';

export interface OpenReportingWindowInput {
  windowId: string;
  name: string;
  /** Beijing calendar days YYYY-MM-DD, both included. */
  from: string;
  to: string;
  /** HH:mm Beijing time. */
  cutoff: string;
  unitIds: string[];
}

export class OpenReportingWindowCommand extends Command<CommandResult<ReportingWindowEvent>> {
  constructor(
    readonly input: OpenReportingWindowInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

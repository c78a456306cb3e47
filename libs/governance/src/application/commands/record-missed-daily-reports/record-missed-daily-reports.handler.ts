import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, DuplicateEventError, EventStore, runDecider, type CommandContext, type CommandResult } from '@app/event-store';
import { Clock, uuidv5, type DomainEvent } from '@app/shared-kernel';
import { reportingWindowDecider, type ReportingWindowCommand } from '../../../domain/reporting-window.decider';
import { reportingWindowStreamId, type ReportingWindowEvent } from '../../../domain/reporting-window.events';
import { RecordMissedDailyReportsCommand } from './record-missed-daily-reports.command';

/** The clock acts as the system (DESIGN.md §5). */
const SYSTEM_ACTOR = { personId: 'system', name: 'system', unitId: null, roles: [] };

/** Misses per append: catching up on a long outage of a large window records them in slices. */
const LIMIT = 500;

@CommandHandler(RecordMissedDailyReportsCommand)
export class RecordMissedDailyReportsHandler implements ICommandHandler<RecordMissedDailyReportsCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ windowId, runId }: RecordMissedDailyReportsCommand): Promise<CommandResult<ReportingWindowEvent>> {
    const streamId = reportingWindowStreamId(windowId);
    // Two processes checking the same window decide the same misses with the same ids at the same
    // expected version: one append wins, the other finds them recorded.
    const eventIds = (event: DomainEvent): string => {
      const { unitId, date } = event.data as { unitId: string; date: string };
      return uuidv5(`${streamId}|${event.type}|${unitId}|${date}`);
    };
    const context: CommandContext = { actor: SYSTEM_ACTOR, correlationId: runId, causationId: null, requestId: null, eventIds };
    const command: ReportingWindowCommand = { type: 'RecordMissedDailyReports', windowId, now: this.clock.now().toISOString(), limit: LIMIT };
    const events: ReportingWindowEvent[] = [];
    for (;;) {
      const result = await this.once(streamId, command, context);
      events.push(...result.events);
      if (result.events.length < LIMIT) return { ...result, events };
    }
  }

  private async once(streamId: string, command: ReportingWindowCommand, context: CommandContext): Promise<CommandResult<ReportingWindowEvent>> {
    try {
      return await this.runner.run(streamId, reportingWindowDecider, command, context);
    } catch (error) {
      // The same ids already stored: another process recorded these misses after the state this
      // process had cached. Decide again on the stream as stored (not the cache), which finds them.
      if (!(error instanceof DuplicateEventError)) throw error;
      return runDecider(this.store, this.clock, streamId, reportingWindowDecider, command, context);
    }
  }
}

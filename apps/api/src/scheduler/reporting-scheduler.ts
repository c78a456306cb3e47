import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EventStore, type CommandResult } from '@app/event-store';
import { RecordMissedDailyReportsCommand } from '@app/governance';
import { DueReportingChecksQuery, ProjectionRunner } from '@app/projections';
import { Clock, uuidv7, type DomainEvent } from '@app/shared-kernel';
import { ApiMetrics } from '../observability/api-metrics';
import { PeriodicJob } from './periodic-job';

const BATCH = 200;

/**
 * Records `DailyReportMissed` at each day's cut-off (DOMAIN.md §7, DESIGN.md §5). Every api process
 * runs one: the read model only says which windows have a cut-off passed with units not settled,
 * and each window's misses are decided on its stream with deterministic event ids and the expected
 * version, so two processes never record the same miss twice.
 */
@Injectable()
export class ReportingScheduler extends PeriodicJob {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly projections: ProjectionRunner,
    private readonly store: EventStore,
    private readonly clock: Clock,
    metrics: ApiMetrics,
  ) {
    super('reporting', metrics);
  }

  protected async work(): Promise<number> {
    const now = this.clock.now();
    const runId = uuidv7(now.getTime());
    const seen = new Set<string>();
    let recorded = 0;
    // The read model must have seen the whole log, or a window opened a moment ago would be missed.
    await this.projections.waitFor(await this.store.headPosition(), 5_000);
    for (;;) {
      const due = (await this.queries.execute(new DueReportingChecksQuery(now, BATCH))).filter((id) => !seen.has(id));
      if (due.length === 0) return recorded;
      let last = 0;
      for (const windowId of due) {
        seen.add(windowId);
        try {
          const result = await this.commands.execute<RecordMissedDailyReportsCommand, CommandResult<DomainEvent>>(new RecordMissedDailyReportsCommand(windowId, runId));
          recorded += result.events.length;
          last = Math.max(last, result.position);
        } catch (error) {
          this.logger.error(`daily report check of window ${windowId} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      await this.projections.waitFor(last, 5_000);
    }
  }
}

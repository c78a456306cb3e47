import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EventStore, type CommandResult } from '@app/event-store';
import { DueTaskChecksQuery, ProjectionRunner } from '@app/projections';
import { Clock, uuidv7, type DomainEvent } from '@app/shared-kernel';
import { CheckTaskDeadlinesCommand, SupervisionPolicy } from '@app/supervision';
import { ApiMetrics } from '../observability/api-metrics';
import { PeriodicJob } from './periodic-job';

const BATCH = 200;

/**
 * Records deadline events when their time comes (DESIGN.md §5). Every api process runs one; the
 * read model only says which tasks to look at, and each task's check is decided on its stream with
 * the expected version, so two processes never record the same deadline twice.
 */
@Injectable()
export class DeadlineScheduler extends PeriodicJob {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly projections: ProjectionRunner,
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly policy: SupervisionPolicy,
    metrics: ApiMetrics,
  ) {
    super('deadlines', metrics);
  }

  protected async work(): Promise<number> {
    const now = this.clock.now();
    const runId = uuidv7(now.getTime());
    const seen = new Set<string>();
    let recorded = 0;
    // The read model must have seen the whole log, or a task issued a moment ago would be missed.
    await this.projections.waitFor(await this.store.headPosition(), 5_000);
    for (;;) {
      const due = (await this.queries.execute(new DueTaskChecksQuery(now, this.policy.dueSoonDays, BATCH))).filter((id) => !seen.has(id));
      if (due.length === 0) return recorded;
      let last = 0;
      for (const taskId of due) {
        seen.add(taskId);
        try {
          const result = await this.commands.execute<CheckTaskDeadlinesCommand, CommandResult<DomainEvent>>(new CheckTaskDeadlinesCommand(taskId, runId));
          recorded += result.events.length;
          last = Math.max(last, result.position);
        } catch (error) {
          this.logger.error(`deadline check of task ${taskId} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      await this.projections.waitFor(last, 5_000);
    }
  }
}

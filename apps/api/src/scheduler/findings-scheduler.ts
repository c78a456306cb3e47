import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { DetectTaskFindingsCommand, followUpOverdue, recordFindings, type Recorded } from '@app/findings';
import { FindingsDetectorCursor, OverdueObligationsQuery, OverdueTasksQuery, ProjectionRunner } from '@app/projections';
import { Clock, uuidv7 } from '@app/shared-kernel';
import { PeriodicJob } from './periodic-job';

const BATCH = 500;
const CURSOR = 'task-triggers';

/** Task events a finding follows from at once (the time-based rules look at overdue tasks instead). */
const TRIGGERS = ['supervision.task-overdue.v1', 'supervision.sign-for-missed.v1', 'supervision.progress-report-missed.v1', 'supervision.objection-raised.v1', 'supervision.task-reopened.v1'];

/**
 * The findings detector (DOMAIN.md §5). Every api process runs one: it reads the log for trigger
 * events since the shared cursor, adds the tasks that are overdue now (whose time-based findings
 * may have come due), and has each task's history judged by the pure rules. A finding's id, stream
 * and event id follow from what it is about, so each is recorded once whichever process gets there.
 */
@Injectable()
export class FindingsScheduler extends PeriodicJob {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly projections: ProjectionRunner,
    private readonly cursor: FindingsDetectorCursor,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {
    super('findings');
  }

  protected async work(): Promise<number> {
    const now = this.clock.now();
    const runId = uuidv7(now.getTime());
    // rm_tasks must show the overdue events recorded a moment ago (by the deadline scheduler).
    await this.projections.waitFor(await this.store.headPosition(), 5_000);
    const { taskIds, scanned } = await this.triggeredTasks();
    for (const id of await this.overdueTasks()) taskIds.add(id);
    let recorded = 0;
    for (const taskId of taskIds) {
      try {
        recorded += (await this.commands.execute<DetectTaskFindingsCommand, Recorded>(new DetectTaskFindingsCommand(taskId, runId))).recorded;
      } catch (error) {
        this.logger.error(`findings of task ${taskId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Moved only after the tasks were judged: a process that dies midway leaves them to the next run.
    await this.cursor.save(CURSOR, scanned);
    // follow_up_overdue: the accountability read model lists the decisions' obligations not met in time.
    const obligations = await this.queries.execute(new OverdueObligationsQuery(now));
    recorded += (await recordFindings(this.store, followUpOverdue(obligations, now.toISOString()), runId)).recorded;
    return recorded;
  }

  private async triggeredTasks(): Promise<{ taskIds: Set<string>; scanned: number }> {
    const taskIds = new Set<string>();
    let scanned = await this.cursor.load(CURSOR);
    for (;;) {
      const page = await this.store.readAll({ fromPosition: scanned, types: TRIGGERS, limit: BATCH });
      for (const e of page.events) taskIds.add((e.data as { taskId: string }).taskId);
      if (page.lastPosition <= scanned) return { taskIds, scanned };
      scanned = page.lastPosition;
    }
  }

  private async overdueTasks(): Promise<string[]> {
    const ids: string[] = [];
    for (;;) {
      const page = await this.queries.execute(new OverdueTasksQuery(BATCH, ids[ids.length - 1] ?? null));
      ids.push(...page);
      if (page.length < BATCH) return ids;
    }
  }
}

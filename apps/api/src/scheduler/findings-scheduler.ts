import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { contradictionKey, DetectGovernanceFindingsCommand, DetectTaskFindingsCommand, followUpOverdue, GOVERNANCE_TRIGGER_TYPES, isGovernanceTrigger, recordFindings, type Recorded } from '@app/findings';
import {
  FindingsDetectorCursor,
  OverdueObligationsQuery,
  OverdueRectificationsQuery,
  OverdueTasksQuery,
  ProjectionRunner,
  SameDayReportsAndIncidentsQuery,
  UnansweredRecommendationsQuery,
  type EvidenceGroup,
} from '@app/projections';
import { Clock, uuidv7 } from '@app/shared-kernel';
import { ApiMetrics } from '../observability/api-metrics';
import { PeriodicJob } from './periodic-job';

const BATCH = 500;
const CURSOR = 'task-triggers';
const GOVERNANCE_CURSOR = 'governance-triggers';
const dayKey = (d: { unitId: string; day: string }): string => `${d.unitId}\n${d.day}`;

/** Task events a finding follows from at once (the time-based rules look at overdue tasks instead). */
const TRIGGERS = ['supervision.task-overdue.v1', 'supervision.sign-for-missed.v1', 'supervision.progress-report-missed.v1', 'supervision.objection-raised.v1', 'supervision.task-reopened.v1'];

/**
 * The findings detector (DOMAIN.md §5). Every api process runs one: it reads the log for trigger
 * events since the shared cursor, adds the tasks that are overdue now (whose time-based findings
 * may have come due), and has each task's history judged by the pure rules; then the same for
 * governance (its own cursor for misses, incidents and nil reports; the read models for
 * recommendations and interviews past their deadlines). A finding's id, stream and event id follow
 * from what it is about, so each is recorded once whichever process gets there.
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
    metrics: ApiMetrics,
  ) {
    super('findings', metrics);
  }

  protected async work(): Promise<number> {
    const now = this.clock.now();
    const runId = uuidv7(now.getTime());
    // rm_tasks must show the overdue events recorded a moment ago (by the deadline scheduler).
    const head = await this.store.headPosition();
    const caughtUp = await this.projections.waitFor(head, 5_000);
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
    // Governance triggers are paired through the read models, so they are read only as far as those have reached.
    if (caughtUp) recorded += await this.governance(head, runId);
    else this.logger.warn(`read models behind the log head ${head}: governance triggers wait for the next run`);
    for (const query of [new UnansweredRecommendationsQuery(now), new OverdueRectificationsQuery(now)]) {
      recorded += (await this.judge(await this.queries.execute<typeof query, EvidenceGroup[]>(query), runId)).recorded;
    }
    return recorded;
  }

  /**
   * daily_report_missed, late_incident_report and nil_report_contradicted follow from events in the
   * log up to `head`. An incident and a nil report of the same unit and Beijing day are judged
   * together whichever was recorded first: the read models (at `head`) hold the earlier one.
   */
  private async governance(head: number, runId: string): Promise<number> {
    let scanned = await this.cursor.load(GOVERNANCE_CURSOR);
    // One group per unit and day (incidents, nil reports), one per miss.
    const groups = new Map<string, string[]>();
    const days = new Map<string, { unitId: string; day: string }>();
    for (;;) {
      const page = await this.store.readAll({ fromPosition: scanned, toPosition: head, types: [...GOVERNANCE_TRIGGER_TYPES], limit: BATCH });
      for (const e of page.events.filter(isGovernanceTrigger)) {
        const day = contradictionKey(e);
        const group = day === null ? e.eventId : dayKey(day);
        if (day !== null) days.set(group, day);
        groups.set(group, [...(groups.get(group) ?? []), e.eventId]);
      }
      if (page.lastPosition <= scanned) break;
      scanned = page.lastPosition;
    }
    const sameDay = days.size === 0 ? [] : await this.queries.execute(new SameDayReportsAndIncidentsQuery([...days.values()]));
    for (const e of sameDay) groups.get(dayKey(e))?.push(e.eventId);
    const { recorded, failed } = await this.judge([...groups.values()], runId);
    // Moved only once every trigger was judged: a failure leaves them all to the next run.
    if (!failed) await this.cursor.save(GOVERNANCE_CURSOR, scanned);
    return recorded;
  }

  /** Has the governance rules judge each group of events together, a few hundred events per command. */
  private async judge(groups: readonly EvidenceGroup[], runId: string): Promise<{ recorded: number; failed: boolean }> {
    let recorded = 0;
    let failed = false;
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const eventIds = batch;
      batch = [];
      try {
        recorded += (await this.commands.execute<DetectGovernanceFindingsCommand, Recorded>(new DetectGovernanceFindingsCommand(eventIds, runId))).recorded;
      } catch (error) {
        failed = true;
        this.logger.error(`governance findings failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    for (const group of groups) {
      if (batch.length > 0 && batch.length + group.length > BATCH) await flush();
      batch.push(...group);
    }
    await flush();
    return { recorded, failed };
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

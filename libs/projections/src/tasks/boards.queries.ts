import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { DomainError, toBeijingIso, type Principal } from '@app/shared-kernel';
import { deadlineClockRuns, isOpen, ragOf, reportsOwed, TASK_STATUSES, type TaskState, type TaskStatus } from '@app/supervision';
import { READ_MODELS } from '../read-models';
import { ownUnitOf, seesAllTasks, taskSummary, type TaskRow, type TaskSummary } from './task.view';

export interface UnitBoard {
  unitId: string;
  counts: { byStatus: Record<TaskStatus, number>; overdue: number; dueSoon: number; red: number; yellow: number };
  actionsNeeded: { taskId: string; action: 'sign_for' | 'progress_report' | 'completion_report'; dueAt: string }[];
  /** The unit's open tasks, by deadline. */
  tasks: TaskSummary[];
}

export interface OfficeBoardRow {
  unitId: string;
  name: string;
  open: number;
  overdue: number;
  /** Share of closed tasks whose completion came by the deadline; null before any closed. */
  onTimeRate: number | null;
  sentBack: number;
  missedReports: number;
  escalations: number;
}

export class UnitBoardQuery extends Query<UnitBoard> {
  constructor(
    readonly unitId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export class OfficeBoardQuery extends Query<{ items: OfficeBoardRow[] }> {}

/** What this unit must do next on a task, by when (the board's 待办). */
function actionsFor(unitId: string, s: TaskState): UnitBoard['actionsNeeded'] {
  const actions: UnitBoard['actionsNeeded'] = [];
  if (!deadlineClockRuns(s.status)) return actions;
  if (!s.signedFor.includes(unitId)) actions.push({ taskId: s.taskId, action: 'sign_for', dueAt: toBeijingIso(s.signForDueAt) });
  if (unitId !== s.leadUnitId) return actions;
  if (reportsOwed(s.status) && s.reportDueAt !== null) actions.push({ taskId: s.taskId, action: 'progress_report', dueAt: toBeijingIso(s.reportDueAt) });
  if (reportsOwed(s.status) && ragOf(s) !== 'green') actions.push({ taskId: s.taskId, action: 'completion_report', dueAt: toBeijingIso(s.dueAt) });
  return actions;
}

@QueryHandler(UnitBoardQuery)
export class UnitBoardHandler implements IQueryHandler<UnitBoardQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ unitId, principal }: UnitBoardQuery): Promise<UnitBoard> {
    if (!seesAllTasks(principal) && ownUnitOf(principal) !== unitId) throw new DomainError('forbidden', 'NOT_YOUR_UNIT', 'A unit sees only its own board.');
    // The long texts are not on the board; leaving them in the database saves parsing them per request.
    const { rows } = await this.db.query<TaskRow>(`SELECT state - 'description' - 'plan' AS state, version, position, overdue FROM rm_tasks WHERE unit_ids @> ARRAY[$1::text] ORDER BY due_at, task_id COLLATE "C"`, [unitId]);
    if (rows.length === 0) {
      const known = await this.db.query(`SELECT 1 FROM rm_units WHERE unit_id = $1`, [unitId]);
      if (known.rowCount === 0) throw new DomainError('not_found', 'UNIT_NOT_FOUND', `There is no member unit ${unitId}.`);
    }
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
    const counts = { byStatus, overdue: 0, dueSoon: 0, red: 0, yellow: 0 };
    const open: TaskSummary[] = [];
    const actionsNeeded: UnitBoard['actionsNeeded'] = [];
    for (const row of rows) {
      const s = row.state;
      if (s.status !== null) byStatus[s.status] += 1;
      if (!isOpen(s.status)) continue;
      const rag = ragOf(s);
      counts.overdue += row.overdue ? 1 : 0;
      counts.dueSoon += s.approachingFor === s.dueAt && !row.overdue ? 1 : 0;
      counts.red += rag === 'red' ? 1 : 0;
      counts.yellow += rag === 'yellow' ? 1 : 0;
      open.push(taskSummary(row));
      actionsNeeded.push(...actionsFor(unitId, s));
    }
    actionsNeeded.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
    return { unitId, counts, actionsNeeded, tasks: open };
  }
}

const OPEN_STATUSES = TASK_STATUSES.filter((s) => isOpen(s));

@QueryHandler(OfficeBoardQuery)
export class OfficeBoardHandler implements IQueryHandler<OfficeBoardQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute(): Promise<{ items: OfficeBoardRow[] }> {
    // Per lead unit (the unit answerable for delivery); every registered unit has a row.
    const { rows } = await this.db.query<{ unit_id: string; name: string; open: string; overdue: string; closed: string; on_time: string; sent_back: string; missed: string; escalations: string }>(
      `SELECT u.unit_id, u.name,
              count(t.task_id) FILTER (WHERE t.status = ANY($1)) AS open,
              count(t.task_id) FILTER (WHERE t.overdue) AS overdue,
              count(t.task_id) FILTER (WHERE t.status = 'closed') AS closed,
              count(t.task_id) FILTER (WHERE t.status = 'closed' AND (t.state->>'closedOnTime')::boolean) AS on_time,
              coalesce(sum((t.state->>'sentBack')::int), 0) AS sent_back,
              coalesce(sum((t.state->>'reportsMissed')::int), 0) AS missed,
              count(t.task_id) FILTER (WHERE t.escalation <> 'none') AS escalations
         FROM rm_units u LEFT JOIN rm_tasks t ON t.lead_unit_id = u.unit_id
        GROUP BY u.unit_id, u.name
        ORDER BY u.unit_id COLLATE "C"`,
      [OPEN_STATUSES],
    );
    return {
      items: rows.map((r) => ({
        unitId: r.unit_id,
        name: r.name,
        open: Number(r.open),
        overdue: Number(r.overdue),
        onTimeRate: Number(r.closed) === 0 ? null : Math.round((Number(r.on_time) / Number(r.closed)) * 1000) / 1000,
        sentBack: Number(r.sent_back),
        missedReports: Number(r.missed),
        escalations: Number(r.escalations),
      })),
    };
  }
}

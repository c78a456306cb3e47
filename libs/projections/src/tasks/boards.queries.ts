import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { DomainError, type Principal } from '@app/shared-kernel';
import { isOpen, TASK_STATUSES, type TaskStatus } from '@app/supervision';
import { READ_MODELS } from '../read-models';
import { ownUnitOf, seesAllTasks, type BoardEntry, type TaskSummary } from './task.view';

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

const OPEN_STATUSES = TASK_STATUSES.filter((s) => isOpen(s));

/** Every task of the unit counts by status; the projection keeps a board entry for open ones only. */
const UNIT_BOARD_SQL = `SELECT status, board FROM rm_tasks WHERE unit_ids @> ARRAY[$1::text] ORDER BY due_at, task_id COLLATE "C"`;

/** What this unit must do next on a task, by when (the board's 待办). */
function actionsFor(unitId: string, entry: BoardEntry): UnitBoard['actionsNeeded'] {
  const taskId = entry.summary.id;
  const actions: UnitBoard['actionsNeeded'] = [];
  if (entry.signFor?.unsigned.includes(unitId)) actions.push({ taskId, action: 'sign_for', dueAt: entry.signFor.dueAt });
  if (unitId !== entry.summary.leadUnitId) return actions;
  if (entry.progressReportDueAt !== null) actions.push({ taskId, action: 'progress_report', dueAt: entry.progressReportDueAt });
  if (entry.completionReportDueAt !== null) actions.push({ taskId, action: 'completion_report', dueAt: entry.completionReportDueAt });
  return actions;
}

@QueryHandler(UnitBoardQuery)
export class UnitBoardHandler implements IQueryHandler<UnitBoardQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ unitId, principal }: UnitBoardQuery): Promise<UnitBoard> {
    if (!seesAllTasks(principal) && ownUnitOf(principal) !== unitId) throw new DomainError('forbidden', 'NOT_YOUR_UNIT', 'A unit sees only its own board.');
    // A named statement: planned once per connection, not on every read.
    const { rows } = await this.db.query<{ status: TaskStatus; board: BoardEntry | null }>({ name: 'unit-board', text: UNIT_BOARD_SQL, values: [unitId] });
    if (rows.length === 0) {
      const known = await this.db.query(`SELECT 1 FROM rm_units WHERE unit_id = $1`, [unitId]);
      if (known.rowCount === 0) throw new DomainError('not_found', 'UNIT_NOT_FOUND', `There is no member unit ${unitId}.`);
    }
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
    const counts = { byStatus, overdue: 0, dueSoon: 0, red: 0, yellow: 0 };
    const open: TaskSummary[] = [];
    const actionsNeeded: UnitBoard['actionsNeeded'] = [];
    for (const { status, board } of rows) {
      byStatus[status] += 1;
      if (board === null) continue;
      const { summary } = board;
      counts.overdue += summary.overdue ? 1 : 0;
      counts.dueSoon += board.dueSoon ? 1 : 0;
      counts.red += summary.rag === 'red' ? 1 : 0;
      counts.yellow += summary.rag === 'yellow' ? 1 : 0;
      open.push(summary);
      actionsNeeded.push(...actionsFor(unitId, board));
    }
    // Every dueAt is toBeijingIso's fixed-width +08:00 form, so text order is time order.
    actionsNeeded.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
    return { unitId, counts, actionsNeeded, tasks: open };
  }
}

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

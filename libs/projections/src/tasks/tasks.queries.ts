import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { DomainError, type Principal } from '@app/shared-kernel';
import type { Rag, TaskStatus } from '@app/supervision';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';
import { ownUnitOf, seesAllTasks, taskView, type TaskRow, type TaskView } from './task.view';
import { decodeKeysetCursor, encodeKeysetCursor } from '../keyset-cursor';

export class GetTaskQuery extends Query<TaskView> {
  constructor(
    readonly taskId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export interface TaskFilter {
  unitId: string | null;
  status: TaskStatus | null;
  rag: Rag | null;
  overdue: boolean | null;
  limit: number;
  cursor: string | null;
}

export class ListTasksQuery extends Query<Page<TaskView>> {
  constructor(
    readonly filter: TaskFilter,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Tasks whose deadline checks have come due by `now` (for the scheduler). */
export class DueTaskChecksQuery extends Query<string[]> {
  constructor(
    readonly now: Date,
    readonly dueSoonDays: number,
    readonly limit: number,
  ) {
    super();
  }
}

const COLUMNS = 'state, version, position, overdue';

@QueryHandler(GetTaskQuery)
export class GetTaskHandler implements IQueryHandler<GetTaskQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ taskId, principal }: GetTaskQuery): Promise<TaskView> {
    const all = seesAllTasks(principal);
    const unitId = all ? null : ownUnitOf(principal);
    const { rows } = await this.db.query<TaskRow & { unit_ids: string[] }>(`SELECT ${COLUMNS}, unit_ids FROM rm_tasks WHERE task_id = $1`, [taskId]);
    const row = rows[0];
    if (!row) throw new DomainError('not_found', 'TASK_NOT_FOUND', `There is no task ${taskId}.`);
    if (unitId !== null && !row.unit_ids.includes(unitId)) throw new DomainError('forbidden', 'NOT_YOUR_TASK', 'Your unit is neither the lead unit nor a co-unit of this task.');
    return taskView(row);
  }
}


@QueryHandler(ListTasksQuery)
export class ListTasksHandler implements IQueryHandler<ListTasksQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter, principal }: ListTasksQuery): Promise<Page<TaskView>> {
    let unitId = filter.unitId;
    if (!seesAllTasks(principal)) {
      const own = ownUnitOf(principal);
      if (unitId !== null && unitId !== own) throw new DomainError('forbidden', 'NOT_YOUR_UNIT', 'A unit sees only its own tasks.', [{ field: 'unitId', message: 'not your unit' }]);
      unitId = own;
    }
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown): void => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (unitId !== null) add((n) => `unit_ids @> ARRAY[${n}::text]`, unitId);
    if (filter.status !== null) add((n) => `status = ${n}`, filter.status);
    if (filter.rag !== null) add((n) => `rag = ${n}`, filter.rag);
    if (filter.overdue !== null) add((n) => `overdue = ${n}`, filter.overdue);
    if (filter.cursor !== null) {
      const [dueAt, id] = decodeKeysetCursor(filter.cursor);
      values.push(dueAt, id);
      where.push(`(due_at, task_id COLLATE "C") > ($${values.length - 1}::timestamptz, $${values.length} COLLATE "C")`);
    }
    values.push(filter.limit + 1);
    const { rows } = await this.db.query<TaskRow & { due_at: Date; task_id: string }>(
      `SELECT ${COLUMNS}, due_at, task_id FROM rm_tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY due_at, task_id COLLATE "C" LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return { items: page.map(taskView), nextCursor: rows.length > filter.limit && last ? encodeKeysetCursor(last.due_at.toISOString(), last.task_id) : null };
  }
}

@QueryHandler(DueTaskChecksQuery)
export class DueTaskChecksHandler implements IQueryHandler<DueTaskChecksQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ now, dueSoonDays, limit }: DueTaskChecksQuery): Promise<string[]> {
    const { rows } = await this.db.query<{ task_id: string }>(
      `SELECT task_id FROM rm_tasks WHERE check_at <= $1
       UNION SELECT task_id FROM rm_tasks WHERE approaching_for <= $1::timestamptz + make_interval(days => $2)
       LIMIT $3`,
      [now, dueSoonDays, limit],
    );
    return rows.map((r) => r.task_id);
  }
}

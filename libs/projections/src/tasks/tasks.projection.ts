import type { RecordedEvent } from '@app/event-store';
import { evolveTask, initialTaskState, isOpen, isOverdue, pendingDeadlineChecks, ragOf, TASK_EVENT_TYPES, type TaskEvent, type TaskState } from '@app/supervision';
import type { Projection, SqlClient } from '../runner/projection';
import { boardEntry } from './task.view';

interface Folded {
  state: TaskState;
  version: number;
  position: number;
}

/** The row of rm_tasks for a folded task. */
function row(taskId: string, f: Folded): Record<string, unknown> {
  const s = f.state;
  const checks = pendingDeadlineChecks(s);
  return {
    task_id: taskId,
    status: s.status,
    lead_unit_id: s.leadUnitId,
    unit_ids: [s.leadUnitId, ...s.coUnitIds],
    due_at: s.dueAt,
    rag: ragOf(s),
    escalation: s.escalation,
    overdue: isOverdue(s),
    check_at: checks.checkAt,
    approaching_for: checks.approachingFor,
    version: f.version,
    position: f.position,
    state: s,
    board: isOpen(s.status) ? boardEntry(s, f.version) : null,
  };
}

/**
 * rm_tasks: each task's state folded with the write side's own `evolve`, so the task view is by
 * construction what the decider saw. A batch loads each touched task once, folds all its events in
 * memory and writes it back in one statement: rebuilding from the log costs a few statements per
 * batch, not per event.
 */
export function tasksProjection(table = 'rm_tasks'): Projection {
  return {
    name: 'tasks.v2',
    eventTypes: TASK_EVENT_TYPES,
    tables: [table],

    async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
      const taskIds = [...new Set(events.map((e) => (e.data as { taskId: string }).taskId))];
      // Named per table (a rebuild writes a scratch table), so each connection plans them once.
      const { rows } = await sql.query<{ task_id: string; state: TaskState; version: number; position: string }>({ name: `sl_load_${table}`, text: `SELECT task_id, state, version, position FROM ${table} WHERE task_id = ANY($1)`, values: [taskIds] });
      const folded = new Map<string, Folded>(rows.map((r) => [r.task_id, { state: r.state, version: r.version, position: Number(r.position) }]));
      for (const recorded of events) {
        const taskId = (recorded.data as { taskId: string }).taskId;
        const current = folded.get(taskId) ?? { state: initialTaskState, version: 0, position: 0 };
        // A replayed event (already folded into the row) is skipped: the model stays exact.
        if (recorded.streamVersion <= current.version) continue;
        folded.set(taskId, { state: evolveTask(current.state, { type: recorded.type, data: recorded.data } as TaskEvent), version: recorded.streamVersion, position: recorded.position });
      }
      const changed = taskIds.map((id) => [id, folded.get(id)] as const).filter((entry): entry is readonly [string, Folded] => entry[1] !== undefined && entry[1].state.status !== null);
      if (changed.length === 0) return;
      await sql.query({
        name: `sl_upsert_${table}`,
        text: `INSERT INTO ${table} (task_id, status, lead_unit_id, unit_ids, due_at, rag, escalation, overdue, check_at, approaching_for, version, position, state, board)
         SELECT task_id, status, lead_unit_id, unit_ids, due_at, rag, escalation, overdue, check_at, approaching_for, version, position, state, board
           FROM jsonb_to_recordset($1::jsonb) AS r(task_id text, status text, lead_unit_id text, unit_ids text[], due_at timestamptz, rag text, escalation text,
                                                  overdue boolean, check_at timestamptz, approaching_for timestamptz, version integer, position bigint, state jsonb, board json)
         ON CONFLICT (task_id) DO UPDATE SET status = EXCLUDED.status, lead_unit_id = EXCLUDED.lead_unit_id, unit_ids = EXCLUDED.unit_ids, due_at = EXCLUDED.due_at,
           rag = EXCLUDED.rag, escalation = EXCLUDED.escalation, overdue = EXCLUDED.overdue, check_at = EXCLUDED.check_at, approaching_for = EXCLUDED.approaching_for,
           version = EXCLUDED.version, position = EXCLUDED.position, state = EXCLUDED.state, board = EXCLUDED.board`,
        values: [JSON.stringify(changed.map(([id, f]) => row(id, f)))],
      });
    },
  };
}

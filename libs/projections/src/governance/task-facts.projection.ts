import type { RecordedEvent } from '@app/event-store';
import type { TaskEvent } from '@app/supervision';
import type { Projection, SqlClient } from '../runner/projection';

/** What a month's bulletin and a year's statistics count of a task's history. */
export const TASK_FACTS = ['issued', 'reassigned', 'overdue', 'sent_back', 'report_missed', 'closed', 'reminder', 'escalated'] as const;
export type TaskFact = (typeof TASK_FACTS)[number];

const FACT_EVENT_TYPES: readonly TaskEvent['type'][] = [
  'supervision.task-issued.v1',
  'supervision.objection-upheld.v1',
  'supervision.task-overdue.v1',
  'supervision.completion-reviewed.v1',
  'supervision.progress-report-missed.v1',
  'supervision.task-signed-off.v1',
  'supervision.reminder-sent.v1',
  'supervision.task-escalated.v1',
];

interface FactRow {
  event_id: string;
  task_id: string;
  unit_id: string;
  fact: TaskFact;
  at: string;
  due_at: string | null;
  on_time: boolean | null;
  level: string | null;
  position: number;
}

type Fact = Omit<FactRow, 'event_id' | 'task_id' | 'position' | 'unit_id'> & { unit_id: string | null };

/**
 * The fact an event is, dated by its business moment: a task goes overdue at its deadline and a
 * progress report is missed at its due time, whenever the scheduler got to record it. `unit_id`
 * null: the unit that leads the task at that moment.
 */
function factOf(event: TaskEvent): Fact | null {
  const none = { due_at: null, on_time: null, level: null };
  switch (event.type) {
    case 'supervision.task-issued.v1':
      return { ...none, fact: 'issued', unit_id: event.data.leadUnitId, at: event.data.issuedAt, due_at: event.data.dueAt };
    case 'supervision.objection-upheld.v1':
      return event.data.reassignTo === null ? null : { ...none, fact: 'reassigned', unit_id: event.data.reassignTo, at: event.data.at };
    case 'supervision.task-overdue.v1':
      return { ...none, fact: 'overdue', unit_id: null, at: event.data.dueAt, due_at: event.data.dueAt };
    case 'supervision.completion-reviewed.v1':
      return event.data.decision === 'send_back' ? { ...none, fact: 'sent_back', unit_id: null, at: event.data.at } : null;
    case 'supervision.progress-report-missed.v1':
      return { ...none, fact: 'report_missed', unit_id: event.data.unitId, at: event.data.dueAt, due_at: event.data.dueAt };
    case 'supervision.task-signed-off.v1':
      return { ...none, fact: 'closed', unit_id: null, at: event.data.at, due_at: event.data.dueAt, on_time: event.data.onTime };
    case 'supervision.reminder-sent.v1':
      return { ...none, fact: 'reminder', unit_id: null, at: event.data.at };
    case 'supervision.task-escalated.v1':
      return { ...none, fact: 'escalated', unit_id: null, at: event.data.at, level: event.data.level };
    default:
      return null;
  }
}

/**
 * rm_task_facts. A batch looks up the lead unit of each task it touches once (its latest issued or
 * reassigned fact), follows reassignments within the batch, and inserts every fact in one
 * statement; facts are keyed by event id, so a replayed batch inserts nothing.
 */
export const taskFactsProjection: Projection = {
  name: 'task-facts.v1',
  eventTypes: FACT_EVENT_TYPES,
  tables: ['rm_task_facts'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    const taskIds = [...new Set(events.map((e) => (e.data as { taskId: string }).taskId))];
    const { rows } = await sql.query<{ task_id: string; unit_id: string }>(
      `SELECT DISTINCT ON (task_id) task_id, unit_id FROM rm_task_facts WHERE task_id = ANY($1) AND fact IN ('issued', 'reassigned') ORDER BY task_id, position DESC`,
      [taskIds],
    );
    const leads = new Map(rows.map((r) => [r.task_id, r.unit_id]));
    const facts: FactRow[] = [];
    for (const recorded of events) {
      const fact = factOf({ type: recorded.type, data: recorded.data } as TaskEvent);
      if (fact === null) continue;
      const taskId = (recorded.data as { taskId: string }).taskId;
      if (fact.unit_id !== null && (fact.fact === 'issued' || fact.fact === 'reassigned')) leads.set(taskId, fact.unit_id);
      const unitId = fact.unit_id ?? leads.get(taskId);
      if (unitId === undefined) continue;
      facts.push({ ...fact, unit_id: unitId, event_id: recorded.eventId, task_id: taskId, position: recorded.position });
    }
    if (facts.length === 0) return;
    await sql.query(
      `INSERT INTO rm_task_facts (event_id, task_id, unit_id, fact, at, due_at, on_time, level, position)
       SELECT event_id, task_id, unit_id, fact, at, due_at, on_time, level, position
         FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, task_id text, unit_id text, fact text, at timestamptz, due_at timestamptz, on_time boolean, level text, position bigint)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(facts)],
    );
  },
};

import { CASE_EVENT_TYPES, evolveCase, initialCaseState, type CaseEvent, type CaseState } from '@app/accountability';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, SqlClient } from '../runner/projection';

/** The case as the decider folds it, plus what only the log knows: event ids and who opened it. */
export interface StoredCase extends CaseState {
  openedBy: { personId: string; name: string } | null;
  /** decisionId → the id of the event that recorded it (evidence for `follow_up_overdue`). */
  decisionEventIds: Record<string, string>;
}

interface Folded {
  view: StoredCase;
  version: number;
  position: number;
}

const initial: StoredCase = { ...initialCaseState, openedBy: null, decisionEventIds: {} };

function fold(current: StoredCase, recorded: RecordedEvent): StoredCase {
  const event = { type: recorded.type, data: recorded.data } as CaseEvent;
  const next: StoredCase = { ...current, ...evolveCase(current, event) };
  if (event.type === 'accountability.case-opened.v1') return { ...next, openedBy: { personId: recorded.metadata.actor.personId, name: recorded.metadata.actor.name }, decisionEventIds: {} };
  if (event.type === 'accountability.decision-recorded.v1') return { ...next, decisionEventIds: { ...next.decisionEventIds, [event.data.decisionId]: recorded.eventId } };
  return next;
}

/** The earliest due time of an obligation not met, or null when every one is met. */
function openDueAt(view: StoredCase): string | null {
  const due = view.obligations.filter((o) => !o.met).map((o) => o.dueAt).sort((a, b) => Date.parse(a) - Date.parse(b));
  return due[0] ?? null;
}

/**
 * rm_accountability_cases: each case folded with the write side's own `evolve`. A batch loads the
 * cases it touches once and writes each back once; an event already folded in (a replay) is skipped.
 */
export const accountabilityProjection: Projection = {
  name: 'accountability.v1',
  eventTypes: CASE_EVENT_TYPES,
  tables: ['rm_accountability_cases'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    const caseIds = [...new Set(events.map((e) => (e.data as { caseId: string }).caseId))];
    const { rows } = await sql.query<{ case_id: string; view: StoredCase; version: number; position: string }>('SELECT case_id, view, version, position FROM rm_accountability_cases WHERE case_id = ANY($1)', [caseIds]);
    const folded = new Map<string, Folded>(rows.map((r) => [r.case_id, { view: r.view, version: r.version, position: Number(r.position) }]));
    for (const recorded of events) {
      const caseId = (recorded.data as { caseId: string }).caseId;
      const current = folded.get(caseId) ?? { view: initial, version: 0, position: 0 };
      if (recorded.streamVersion <= current.version) continue;
      folded.set(caseId, { view: fold(current.view, recorded), version: recorded.streamVersion, position: recorded.position });
    }
    const changed = [...folded.entries()].filter(([, f]) => f.view.opened);
    if (changed.length === 0) return;
    await sql.query(
      `INSERT INTO rm_accountability_cases (case_id, title, task_ids, finding_ids, opened_at, open_due_at, view, version, position)
       SELECT case_id, title, task_ids, finding_ids, opened_at, open_due_at, view, version, position
         FROM jsonb_to_recordset($1::jsonb) AS r(case_id text, title text, task_ids text[], finding_ids text[], opened_at timestamptz, open_due_at timestamptz, view jsonb, version integer, position bigint)
       ON CONFLICT (case_id) DO UPDATE SET open_due_at = EXCLUDED.open_due_at, view = EXCLUDED.view, version = EXCLUDED.version, position = EXCLUDED.position`,
      [
        JSON.stringify(
          changed.map(([caseId, { view, version, position }]) => ({
            case_id: caseId,
            title: view.title,
            task_ids: view.taskIds,
            finding_ids: view.findingIds,
            opened_at: view.openedAt,
            open_due_at: openDueAt(view),
            view,
            version,
            position,
          })),
        ),
      ],
    );
  },
};

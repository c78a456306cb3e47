import type { RecordedEvent } from '@app/event-store';
import { cutoffAt, daysOf, REPORTING_WINDOW_EVENT_TYPES, type ReportingWindowEvent } from '@app/governance';
import type { Projection, SqlClient } from '../runner/projection';

interface WindowRow {
  window_id: string;
  from_day: string;
  to_day: string;
  cutoff: string;
  unit_ids: string[];
  version: number;
}

/** A window as this batch leaves it; `opened` holds the columns of a window first seen in it. */
interface Touched extends WindowRow {
  position: number;
  opened: { name: string; opened_at: string; opened_by: { personId: string; name: string } } | null;
}

/** The columns of rm_reporting_days one event sets; null leaves the stored value. */
interface DayRow {
  window_id: string;
  unit_id: string;
  day: string;
  filed_at: string | null;
  late: boolean | null;
  nil: boolean | null;
  item_count: number | null;
  report_event_id: string | null;
  missed_at: string | null;
  missed_event_id: string | null;
}

const EMPTY_DAY = { filed_at: null, late: null, nil: null, item_count: null, report_event_id: null, missed_at: null, missed_event_id: null };

/**
 * rm_reporting_windows and rm_reporting_days. A batch loads the windows it touches once, skips
 * events at or below a window's stored version (a replayed batch changes nothing), merges what
 * each unit and day got into one row each, and recomputes each touched window's next due cut-off.
 */
export const reportingProjection: Projection = {
  name: 'reporting.v1',
  eventTypes: REPORTING_WINDOW_EVENT_TYPES,
  tables: ['rm_reporting_windows', 'rm_reporting_days'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    const windowIds = [...new Set(events.map((e) => (e.data as { windowId: string }).windowId))];
    const { rows } = await sql.query<WindowRow>('SELECT window_id, from_day, to_day, cutoff, unit_ids, version FROM rm_reporting_windows WHERE window_id = ANY($1)', [windowIds]);
    const stored = new Map(rows.map((r) => [r.window_id, r]));
    const touched = new Map<string, Touched>();
    const days = new Map<string, DayRow>();
    const dayOf = (windowId: string, unitId: string, day: string): DayRow => {
      const key = `${windowId}\n${unitId}\n${day}`;
      let row = days.get(key);
      if (!row) days.set(key, (row = { window_id: windowId, unit_id: unitId, day, ...EMPTY_DAY }));
      return row;
    };
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ReportingWindowEvent;
      const windowId = event.data.windowId;
      const current = touched.get(windowId) ?? (stored.has(windowId) ? { ...(stored.get(windowId) as WindowRow), position: 0, opened: null } : null);
      if (current !== null && recorded.streamVersion <= current.version) continue;
      if (event.type === 'governance.reporting-window-opened.v1') {
        const { from, to, cutoff, unitIds, name, openedAt } = event.data;
        const { personId, name: actorName } = recorded.metadata.actor;
        touched.set(windowId, { window_id: windowId, from_day: from, to_day: to, cutoff, unit_ids: unitIds, version: recorded.streamVersion, position: recorded.position, opened: { name, opened_at: openedAt, opened_by: { personId, name: actorName } } });
        continue;
      }
      // Reports and misses come after the opening in the window's stream (the decider sees to it).
      if (current === null) continue;
      const { unitId, date } = event.data;
      if (event.type === 'governance.daily-report-filed.v1') {
        const { filedAt, late, nil, items } = event.data;
        Object.assign(dayOf(windowId, unitId, date), { filed_at: filedAt, late, nil, item_count: items.length, report_event_id: recorded.eventId });
      } else {
        Object.assign(dayOf(windowId, unitId, date), { missed_at: event.data.at, missed_event_id: recorded.eventId });
      }
      touched.set(windowId, { ...current, version: recorded.streamVersion, position: recorded.position });
    }
    if (touched.size === 0) return;
    const opened = [...touched.values()].filter((w) => w.opened !== null);
    if (opened.length > 0) {
      await sql.query(
        `INSERT INTO rm_reporting_windows (window_id, name, from_day, to_day, cutoff, unit_ids, opened_at, opened_by, version, position)
         SELECT window_id, name, from_day, to_day, cutoff, unit_ids, opened_at, opened_by, version, position
           FROM jsonb_to_recordset($1::jsonb) AS r(window_id text, name text, from_day text, to_day text, cutoff text, unit_ids text[], opened_at timestamptz, opened_by jsonb, version integer, position bigint)
         ON CONFLICT (window_id) DO NOTHING`,
        [JSON.stringify(opened.map((w) => ({ ...w, ...w.opened })))],
      );
    }
    if (days.size > 0) {
      await sql.query(
        `INSERT INTO rm_reporting_days AS d (window_id, unit_id, day, filed_at, late, nil, item_count, report_event_id, missed_at, missed_event_id)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(window_id text, unit_id text, day text, filed_at timestamptz, late boolean, nil boolean, item_count integer, report_event_id text, missed_at timestamptz, missed_event_id text)
         ON CONFLICT (window_id, unit_id, day) DO UPDATE SET
           filed_at = COALESCE(EXCLUDED.filed_at, d.filed_at), late = COALESCE(EXCLUDED.late, d.late), nil = COALESCE(EXCLUDED.nil, d.nil),
           item_count = COALESCE(EXCLUDED.item_count, d.item_count), report_event_id = COALESCE(EXCLUDED.report_event_id, d.report_event_id),
           missed_at = COALESCE(EXCLUDED.missed_at, d.missed_at), missed_event_id = COALESCE(EXCLUDED.missed_event_id, d.missed_event_id)`,
        [JSON.stringify([...days.values()])],
      );
    }
    const due = await nextDueAt(sql, [...touched.values()]);
    await sql.query(
      `UPDATE rm_reporting_windows w SET version = r.version, position = r.position, next_due_at = r.next_due_at
         FROM jsonb_to_recordset($1::jsonb) AS r(window_id text, version integer, position bigint, next_due_at timestamptz)
        WHERE w.window_id = r.window_id`,
      [JSON.stringify([...touched.values()].map((w) => ({ window_id: w.window_id, version: w.version, position: w.position, next_due_at: due.get(w.window_id) ?? null })))],
    );
  },
};

/**
 * Per window, the cut-off of the first day on which some listed unit has neither filed nor been
 * recorded as missing (null once every day is settled): the reporting scheduler's next look.
 */
async function nextDueAt(sql: SqlClient, windows: WindowRow[]): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ window_id: string; day: string; settled: number }>(
    `SELECT window_id, day, count(*)::int AS settled FROM rm_reporting_days
      WHERE window_id = ANY($1) AND (filed_at IS NOT NULL OR missed_at IS NOT NULL) GROUP BY window_id, day`,
    [windows.map((w) => w.window_id)],
  );
  const settled = new Map(rows.map((r) => [`${r.window_id}\n${r.day}`, r.settled]));
  const due = new Map<string, string>();
  for (const w of windows) {
    const open = daysOf(w.from_day, w.to_day).find((day) => (settled.get(`${w.window_id}\n${day}`) ?? 0) < w.unit_ids.length);
    if (open !== undefined) due.set(w.window_id, cutoffAt(open, w.cutoff));
  }
  return due;
}

import type { RecordedEvent } from '@app/event-store';
import type { IncidentRecorded } from '@app/governance';
import type { Projection, SqlClient } from '../runner/projection';

const INCIDENT_RECORDED: IncidentRecorded['type'] = 'governance.incident-recorded.v1';

/**
 * rm_incidents: one row per incident, never changed after (an incident id is recorded once in the
 * whole log). Inserted in one statement per batch; a replayed batch inserts nothing.
 */
export const incidentsProjection: Projection = {
  name: 'incidents.v1',
  eventTypes: [INCIDENT_RECORDED],
  tables: ['rm_incidents'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    const rows = events
      .filter((e) => e.type === INCIDENT_RECORDED)
      .map((e) => {
        const d = (e as RecordedEvent<IncidentRecorded['data']>).data;
        const { personId, name } = e.metadata.actor;
        return {
          incident_id: d.incidentId,
          event_id: e.eventId,
          unit_id: d.unitId,
          kind: d.kind,
          persons: d.persons,
          occurred_at: d.occurredAt,
          reported_at: d.reportedAt,
          year: d.year,
          summary: d.summary,
          recorded_at: d.recordedAt,
          recorded_by: { personId, name },
          position: e.position,
        };
      });
    if (rows.length === 0) return;
    await sql.query(
      `INSERT INTO rm_incidents (incident_id, event_id, unit_id, kind, persons, occurred_at, reported_at, year, summary, recorded_at, recorded_by, position)
       SELECT incident_id, event_id, unit_id, kind, persons, occurred_at, reported_at, year, summary, recorded_at, recorded_by, position
         FROM jsonb_to_recordset($1::jsonb) AS r(incident_id text, event_id text, unit_id text, kind text, persons integer, occurred_at timestamptz, reported_at timestamptz,
                                                year integer, summary text, recorded_at timestamptz, recorded_by jsonb, position bigint)
       ON CONFLICT (incident_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  },
};

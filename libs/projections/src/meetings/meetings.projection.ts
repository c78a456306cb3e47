import type { RecordedEvent } from '@app/event-store';
import type { MeetingEvent } from '@app/meetings';
import type { Projection, SqlClient } from '../runner/projection';

/**
 * rm_meetings and rm_meeting_decisions from the meetings context's events. Every write is
 * idempotent (ON CONFLICT DO NOTHING, version moves forward only), so a replayed batch changes nothing.
 * Lists go in as JSON text: node-pg would send a JS array as a PostgreSQL array, not as jsonb.
 */
export const meetingsProjection: Projection = {
  name: 'meetings.v1',
  eventTypes: ['meetings.meeting-held.v1', 'meetings.decision-recorded.v1'],
  tables: ['rm_meetings', 'rm_meeting_decisions'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as MeetingEvent;
      switch (event.type) {
        case 'meetings.meeting-held.v1': {
          const { meetingId, title, kind, convenorId, convenorName, heldAt, attendees } = event.data;
          await sql.query(
            `INSERT INTO rm_meetings (id, title, kind, convenor_id, convenor_name, held_at, attendees, version, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) ON CONFLICT (id) DO NOTHING`,
            [meetingId, title, kind, convenorId, convenorName, heldAt, JSON.stringify(attendees), recorded.streamVersion, recorded.position],
          );
          break;
        }
        case 'meetings.decision-recorded.v1': {
          const { meetingId, decisionId, text, deciders, participants, dissents, taskIds } = event.data;
          await sql.query(
            `INSERT INTO rm_meeting_decisions (meeting_id, decision_id, text, deciders, participants, dissents, task_ids, recorded_at, position)
             VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9) ON CONFLICT (meeting_id, decision_id) DO NOTHING`,
            [meetingId, decisionId, text, JSON.stringify(deciders), JSON.stringify(participants), JSON.stringify(dissents), JSON.stringify(taskIds), recorded.metadata.occurredAt, recorded.position],
          );
          await sql.query(`UPDATE rm_meetings SET version = $2, position = $3 WHERE id = $1 AND version < $2`, [meetingId, recorded.streamVersion, recorded.position]);
        }
      }
    }
  },
};

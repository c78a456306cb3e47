import type { RecordedEvent } from '@app/event-store';
import { INTERVIEW_EVENT_TYPES, type InterviewEvent } from '@app/governance';
import type { Projection, SqlClient } from '../runner/projection';

/**
 * rm_interviews: one row per interview (约谈), the rectification filled in when reported. Each event
 * is one statement, applied only above the row's version, so a replayed batch changes nothing.
 */
export const interviewsProjection: Projection = {
  name: 'interviews.v1',
  eventTypes: INTERVIEW_EVENT_TYPES,
  tables: ['rm_interviews'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as InterviewEvent;
      const { personId, name } = recorded.metadata.actor;
      if (event.type === 'governance.interview-recorded.v1') {
        const d = event.data;
        await sql.query(
          `INSERT INTO rm_interviews (interview_id, unit_id, person_ids, reason, finding_ids, rectification_due_at, recorded_at, recorded_by, event_id, version, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (interview_id) DO NOTHING`,
          [d.interviewId, d.unitId, d.personIds, d.reason, d.findingIds, d.rectificationDueAt, d.recordedAt, { personId, name }, recorded.eventId, recorded.streamVersion, recorded.position],
        );
      } else {
        const d = event.data;
        await sql.query(
          `UPDATE rm_interviews SET rectification_note = $2, rectified_at = $3, rectification_late = $4, rectified_by = $5, rectification_event_id = $6, version = $7, position = $8
            WHERE interview_id = $1 AND version < $7`,
          [d.interviewId, d.note, d.reportedAt, d.late, { personId, name }, recorded.eventId, recorded.streamVersion, recorded.position],
        );
      }
    }
  },
};

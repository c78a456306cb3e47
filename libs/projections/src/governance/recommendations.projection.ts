import type { RecordedEvent } from '@app/event-store';
import { RECOMMENDATION_EVENT_TYPES, type RecommendationEvent } from '@app/governance';
import type { Projection, SqlClient } from '../runner/projection';

/**
 * rm_recommendations: one row per recommendation, the answer filled in when given. Recommendations
 * are few, so each event is one statement; each applies only above the row's version, so a replayed
 * batch changes nothing.
 */
export const recommendationsProjection: Projection = {
  name: 'recommendations.v1',
  eventTypes: RECOMMENDATION_EVENT_TYPES,
  tables: ['rm_recommendations'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as RecommendationEvent;
      const { personId, name } = recorded.metadata.actor;
      if (event.type === 'governance.recommendation-made.v1') {
        const d = event.data;
        await sql.query(
          `INSERT INTO rm_recommendations (recommendation_id, unit_id, kind, text, answer_due_at, made_at, made_by, made_event_id, version, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (recommendation_id) DO NOTHING`,
          [d.recommendationId, d.unitId, d.kind, d.text, d.answerDueAt, d.madeAt, { personId, name }, recorded.eventId, recorded.streamVersion, recorded.position],
        );
      } else {
        const d = event.data;
        await sql.query(
          `UPDATE rm_recommendations SET answer_text = $2, adopted = $3, answered_at = $4, late = $5, answered_by = $6, answer_event_id = $7, version = $8, position = $9
            WHERE recommendation_id = $1 AND version < $8`,
          [d.recommendationId, d.text, d.adopted, d.answeredAt, d.late, { personId, name }, recorded.eventId, recorded.streamVersion, recorded.position],
        );
      }
    }
  },
};

import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import type { FindingRule } from '@app/findings';
import { READ_MODELS } from '../read-models';

/*
 * What the findings detector asks the governance read models (DOMAIN.md §5): which recommendations
 * and interviews are past their deadline with nothing given by then, and which incidents and nil
 * reports share a unit and a Beijing day. Each answer is event ids: the detector judges the events
 * themselves, so a finding's evidence is what the log holds, not what a read model says.
 */

/** Ids of events judged together: the obligation's event and, when given late, the answer. */
export type EvidenceGroup = string[];

/**
 * Recommendations past `answerDueAt` at `now` and not answered by then (unanswered, or answered
 * late), leaving out those whose finding is already in rm_findings.
 */
export class UnansweredRecommendationsQuery extends Query<EvidenceGroup[]> {
  constructor(
    readonly now: Date,
    readonly limit = 500,
  ) {
    super();
  }
}

/** Interviews past `rectificationDueAt` at `now` with no rectification reported by then, not yet found. */
export class OverdueRectificationsQuery extends Query<EvidenceGroup[]> {
  constructor(
    readonly now: Date,
    readonly limit = 500,
  ) {
    super();
  }
}

/** An event keyed by unit and Beijing day (YYYY-MM-DD). */
export interface SameDayEvent {
  unitId: string;
  day: string;
  eventId: string;
}

/** For each unit and Beijing day: the ids of its nil daily reports for that day and of its incidents that occurred on it. */
export class SameDayReportsAndIncidentsQuery extends Query<SameDayEvent[]> {
  constructor(readonly keys: readonly { unitId: string; day: string }[]) {
    super();
  }
}

const RECOMMENDATION_UNANSWERED: FindingRule = 'recommendation_unanswered';
const RECTIFICATION_OVERDUE: FindingRule = 'rectification_overdue';

const groups = (rows: { made: string; answer: string | null }[]): EvidenceGroup[] => rows.map((r) => (r.answer === null ? [r.made] : [r.made, r.answer]));

@QueryHandler(UnansweredRecommendationsQuery)
export class UnansweredRecommendationsHandler implements IQueryHandler<UnansweredRecommendationsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ now, limit }: UnansweredRecommendationsQuery): Promise<EvidenceGroup[]> {
    const { rows } = await this.db.query<{ made: string; answer: string | null }>(
      `SELECT r.made_event_id AS made, r.answer_event_id AS answer FROM rm_recommendations r
        WHERE r.answer_due_at < $1 AND (r.answered_at IS NULL OR r.answered_at > r.answer_due_at)
          AND NOT EXISTS (SELECT 1 FROM rm_findings f WHERE f.rule = $2 AND r.made_event_id = ANY(f.evidence))
        ORDER BY r.answer_due_at, r.recommendation_id LIMIT $3`,
      [now, RECOMMENDATION_UNANSWERED, limit],
    );
    return groups(rows);
  }
}

@QueryHandler(OverdueRectificationsQuery)
export class OverdueRectificationsHandler implements IQueryHandler<OverdueRectificationsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ now, limit }: OverdueRectificationsQuery): Promise<EvidenceGroup[]> {
    const { rows } = await this.db.query<{ made: string; answer: string | null }>(
      `SELECT i.event_id AS made, i.rectification_event_id AS answer FROM rm_interviews i
        WHERE i.rectification_due_at < $1 AND (i.rectified_at IS NULL OR i.rectified_at > i.rectification_due_at)
          AND NOT EXISTS (SELECT 1 FROM rm_findings f WHERE f.rule = $2 AND i.event_id = ANY(f.evidence))
        ORDER BY i.rectification_due_at, i.interview_id LIMIT $3`,
      [now, RECTIFICATION_OVERDUE, limit],
    );
    return groups(rows);
  }
}

@QueryHandler(SameDayReportsAndIncidentsQuery)
export class SameDayReportsAndIncidentsHandler implements IQueryHandler<SameDayReportsAndIncidentsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ keys }: SameDayReportsAndIncidentsQuery): Promise<SameDayEvent[]> {
    if (keys.length === 0) return [];
    // A Beijing day runs from its 00:00 +08:00 for 24 hours (China keeps no daylight saving).
    const { rows } = await this.db.query<{ unit_id: string; day: string; id: string }>(
      `WITH k AS (SELECT DISTINCT unit_id, day FROM jsonb_to_recordset($1::jsonb) AS x(unit_id text, day text))
       SELECT k.unit_id, k.day, d.report_event_id AS id FROM rm_reporting_days d JOIN k ON d.unit_id = k.unit_id AND d.day = k.day WHERE d.nil AND d.report_event_id IS NOT NULL
       UNION
       SELECT k.unit_id, k.day, i.event_id AS id FROM rm_incidents i JOIN k ON i.unit_id = k.unit_id
          AND i.occurred_at >= (k.day || 'T00:00:00+08:00')::timestamptz AND i.occurred_at < (k.day || 'T00:00:00+08:00')::timestamptz + interval '1 day'`,
      [JSON.stringify(keys.map((k) => ({ unit_id: k.unitId, day: k.day })))],
    );
    return rows.map((r) => ({ unitId: r.unit_id, day: r.day, eventId: r.id }));
  }
}

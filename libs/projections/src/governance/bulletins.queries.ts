import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import type { PeriodBounds, UnitMonthCounts } from '@app/governance';
import { DomainError, toBeijingIso } from '@app/shared-kernel';
import { keysetPage } from '../keyset-cursor';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';
import type { BulletinReply } from './bulletins.projection';

/** Every registered member unit's counts for one Beijing month: what a bulletin is computed from. */
export class MonthCountsQuery extends Query<UnitMonthCounts[]> {
  constructor(readonly month: PeriodBounds) {
    super();
  }
}

export class GetBulletinQuery extends Query<BulletinReply> {
  constructor(readonly period: string) {
    super();
  }
}

/** An issued bulletin as the list shows it; GET /bulletins/{period} has the document. */
export interface BulletinSummary {
  period: string;
  issuedAt: string;
  issuedBy: { personId: string; name: string };
  units: number;
  /** Units flagged for 约谈 in it. */
  interviewFlags: string[];
  eventId: string;
}

/** Issued bulletins, newest month first. */
export class ListBulletinsQuery extends Query<Page<BulletinSummary>> {
  constructor(readonly filter: { limit: number; cursor: string | null }) {
    super();
  }
}

interface CountsRow {
  unit_id: string;
  name: string;
  due_in_month: string;
  closed_on_time: string;
  overdue: string;
  sent_back: string;
  missed_progress_reports: string;
  missed_daily_reports: string;
  incidents: string;
  incident_persons: string;
  findings: string;
}

/*
 * $1, $2: the month's first instant and the next month's (Beijing); $3 the month, 'YYYY-MM'.
 * Tasks are charged to their lead unit (牵头单位): tasks due and closed on time by the deadline in
 * force today (rm_tasks), what happened in the month by the lead unit at that moment (rm_task_facts).
 */
const COUNTS_SQL = `
  SELECT u.unit_id, u.name,
         coalesce(t.due, 0) AS due_in_month, coalesce(t.closed_on_time, 0) AS closed_on_time,
         coalesce(f.overdue, 0) AS overdue, coalesce(f.sent_back, 0) AS sent_back, coalesce(f.missed, 0) AS missed_progress_reports,
         coalesce(d.missed, 0) AS missed_daily_reports,
         coalesce(i.incidents, 0) AS incidents, coalesce(i.persons, 0) AS incident_persons,
         coalesce(x.findings, 0) AS findings
    FROM rm_units u
    LEFT JOIN (SELECT lead_unit_id AS unit_id,
                      count(*) FILTER (WHERE status NOT IN ('cancelled', 'withdrawn')) AS due,
                      count(*) FILTER (WHERE status = 'closed' AND (state->>'closedOnTime')::boolean) AS closed_on_time
                 FROM rm_tasks WHERE due_at >= $1 AND due_at < $2 GROUP BY lead_unit_id) t ON t.unit_id = u.unit_id
    LEFT JOIN (SELECT unit_id,
                      count(DISTINCT task_id) FILTER (WHERE fact = 'overdue') AS overdue,
                      count(*) FILTER (WHERE fact = 'sent_back') AS sent_back,
                      count(*) FILTER (WHERE fact = 'report_missed') AS missed
                 FROM rm_task_facts WHERE at >= $1 AND at < $2 GROUP BY unit_id) f ON f.unit_id = u.unit_id
    LEFT JOIN (SELECT unit_id, count(*) AS missed FROM rm_reporting_days
                WHERE missed_event_id IS NOT NULL AND day LIKE $3 || '-%' GROUP BY unit_id) d ON d.unit_id = u.unit_id
    LEFT JOIN (SELECT unit_id, count(*) AS incidents, sum(persons) AS persons FROM rm_incidents
                WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY unit_id) i ON i.unit_id = u.unit_id
    LEFT JOIN (SELECT unit_id, count(*) AS findings FROM rm_findings
                WHERE detected_at >= $1 AND detected_at < $2 AND unit_id IS NOT NULL GROUP BY unit_id) x ON x.unit_id = u.unit_id
   ORDER BY u.unit_id COLLATE "C"`;

/** Each target set for the year, and the persons of its kind that occurred from 1 January to the month's end. */
const TARGETS_SQL = `
  SELECT t.unit_id, t.metric, t.limit_value AS limit,
         coalesce((SELECT sum(i.persons) FROM rm_incidents i
                    WHERE i.unit_id = t.unit_id AND i.kind = t.metric AND i.year = t.year AND i.occurred_at < $2), 0) AS used
    FROM rm_control_targets t
   WHERE t.year = $1 AND t.limit_value IS NOT NULL`;

@QueryHandler(MonthCountsQuery)
export class MonthCountsHandler implements IQueryHandler<MonthCountsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ month }: MonthCountsQuery): Promise<UnitMonthCounts[]> {
    const [counts, targets] = await Promise.all([
      this.db.query<CountsRow>(COUNTS_SQL, [month.from, month.to, month.period]),
      this.db.query<{ unit_id: string; metric: string; limit: number; used: string }>(TARGETS_SQL, [month.year, month.to]),
    ]);
    const byUnit = new Map<string, UnitMonthCounts['targets']>();
    for (const t of targets.rows) byUnit.set(t.unit_id, [...(byUnit.get(t.unit_id) ?? []), { metric: t.metric, limit: t.limit, usedToDate: Number(t.used) }]);
    return counts.rows.map((r) => ({
      unitId: r.unit_id,
      name: r.name,
      dueInMonth: Number(r.due_in_month),
      closedOnTime: Number(r.closed_on_time),
      overdue: Number(r.overdue),
      sentBack: Number(r.sent_back),
      missedProgressReports: Number(r.missed_progress_reports),
      missedDailyReports: Number(r.missed_daily_reports),
      incidents: Number(r.incidents),
      incidentPersons: Number(r.incident_persons),
      targets: byUnit.get(r.unit_id) ?? [],
      findings: Number(r.findings),
    }));
  }
}

@QueryHandler(GetBulletinQuery)
export class GetBulletinHandler implements IQueryHandler<GetBulletinQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ period }: GetBulletinQuery): Promise<BulletinReply> {
    const row = (await this.db.query<{ reply: BulletinReply }>('SELECT reply FROM rm_bulletins WHERE period = $1', [period])).rows[0];
    if (!row) throw new DomainError('not_found', 'BULLETIN_NOT_FOUND', `No bulletin was issued for ${period}.`);
    return row.reply;
  }
}

interface SummaryRow {
  period: string;
  period_start: Date;
  issued_at: Date;
  issued_by: { personId: string; name: string };
  unit_count: number;
  flagged_unit_ids: string[];
  event_id: string;
}

@QueryHandler(ListBulletinsQuery)
export class ListBulletinsHandler implements IQueryHandler<ListBulletinsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter }: ListBulletinsQuery): Promise<Page<BulletinSummary>> {
    const { rows, nextCursor } = await keysetPage<SummaryRow>(
      this.db,
      { select: 'SELECT period, period_start, issued_at, issued_by, unit_count, flagged_unit_ids, event_id FROM rm_bulletins', at: 'period_start', id: 'period', order: 'desc', where: [], values: [], cursor: filter.cursor, limit: filter.limit },
      (r) => [r.period_start, r.period],
    );
    return {
      items: rows.map((r) => ({ period: r.period, issuedAt: toBeijingIso(r.issued_at), issuedBy: r.issued_by, units: r.unit_count, interviewFlags: r.flagged_unit_ids, eventId: r.event_id })),
      nextCursor,
    };
  }
}

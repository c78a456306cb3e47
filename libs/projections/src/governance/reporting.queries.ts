import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { cutoffAt, daysOf } from '@app/governance';
import { DomainError, toBeijingIso, type Principal } from '@app/shared-kernel';
import { keysetPage } from '../keyset-cursor';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';

/** A reporting window; a unit user sees only its own unit among `unitIds`. */
export interface ReportingWindowView {
  id: string;
  name: string;
  from: string;
  to: string;
  cutoff: string;
  unitIds: string[];
  openedAt: string;
  openedBy: { personId: string; name: string } | null;
  version: number;
}

/**
 * - `filed`: reported before the day's cut-off;
 * - `late`: reported at or after it (the miss was recorded first, see `missedEventId`);
 * - `missed`: the cut-off has passed with no report (`missedEventId` is null for the few seconds
 *   before the scheduler records it);
 * - `pending`: no report yet and the cut-off is still ahead (today before it, or a day to come).
 */
export const DAY_STATUSES = ['filed', 'late', 'missed', 'pending'] as const;
export type DayStatus = (typeof DAY_STATUSES)[number];

export interface UnitDayView {
  date: string;
  cutoffAt: string;
  status: DayStatus;
  filedAt: string | null;
  nil: boolean | null;
  itemCount: number;
  reportEventId: string | null;
  missedEventId: string | null;
}

export interface UnitComplianceView {
  unitId: string;
  filed: number;
  late: number;
  missed: number;
  pending: number;
  days: UnitDayView[];
}

/** Every listed unit (a unit user: only its own) and every day of the window, as of `asOf`. */
export interface ComplianceView {
  windowId: string;
  name: string;
  from: string;
  to: string;
  cutoff: string;
  asOf: string;
  units: UnitComplianceView[];
}

export class GetReportingWindowQuery extends Query<ReportingWindowView> {
  constructor(
    readonly windowId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export class ListReportingWindowsQuery extends Query<Page<ReportingWindowView>> {
  constructor(
    readonly filter: { limit: number; cursor: string | null },
    readonly principal: Principal,
  ) {
    super();
  }
}

export class ReportingComplianceQuery extends Query<ComplianceView> {
  constructor(
    readonly windowId: string,
    readonly principal: Principal,
    readonly now: Date,
  ) {
    super();
  }
}

/** Windows with a cut-off passed by `now` at which some listed unit is not yet settled (for the scheduler). */
export class DueReportingChecksQuery extends Query<string[]> {
  constructor(
    readonly now: Date,
    readonly limit: number,
  ) {
    super();
  }
}

interface WindowRow {
  window_id: string;
  name: string;
  from_day: string;
  to_day: string;
  cutoff: string;
  unit_ids: string[];
  opened_at: Date;
  opened_by: { personId: string; name: string } | null;
  version: number;
}

interface DayRow {
  unit_id: string;
  day: string;
  filed_at: Date | null;
  late: boolean | null;
  nil: boolean | null;
  item_count: number | null;
  report_event_id: string | null;
  missed_event_id: string | null;
}

const WINDOW_COLUMNS = 'window_id, name, from_day, to_day, cutoff, unit_ids, opened_at, opened_by, version';

/** null: every unit (the office, inspectors); otherwise the one unit a unit user may see. */
function visibleUnit(principal: Principal): string | null {
  if (principal.roles.some((r) => r === 'office' || r === 'office_lead' || r === 'inspector')) return null;
  if (principal.unitId !== null && principal.roles.some((r) => r === 'unit' || r === 'unit_lead')) return principal.unitId;
  throw new DomainError('forbidden', 'ROLE_NOT_ALLOWED', 'Only the office, inspectors and the listed units read reporting windows.');
}

const windowView = (r: WindowRow, unit: string | null): ReportingWindowView => ({
  id: r.window_id,
  name: r.name,
  from: r.from_day,
  to: r.to_day,
  cutoff: r.cutoff,
  unitIds: unit === null ? r.unit_ids : [unit],
  openedAt: toBeijingIso(r.opened_at),
  openedBy: r.opened_by,
  version: r.version,
});

/** The window, if the caller may see it: a unit user only windows that list its unit (others are 404, not 403, so as not to tell). */
async function visibleWindow(db: Pool, windowId: string, unit: string | null): Promise<WindowRow> {
  const row = (await db.query<WindowRow>(`SELECT ${WINDOW_COLUMNS} FROM rm_reporting_windows WHERE window_id = $1`, [windowId])).rows[0];
  if (!row || (unit !== null && !row.unit_ids.includes(unit))) throw new DomainError('not_found', 'WINDOW_NOT_FOUND', `There is no reporting window ${windowId}.`);
  return row;
}

@QueryHandler(GetReportingWindowQuery)
export class GetReportingWindowHandler implements IQueryHandler<GetReportingWindowQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ windowId, principal }: GetReportingWindowQuery): Promise<ReportingWindowView> {
    const unit = visibleUnit(principal);
    return windowView(await visibleWindow(this.db, windowId, unit), unit);
  }
}

@QueryHandler(ListReportingWindowsQuery)
export class ListReportingWindowsHandler implements IQueryHandler<ListReportingWindowsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter, principal }: ListReportingWindowsQuery): Promise<Page<ReportingWindowView>> {
    const unit = visibleUnit(principal);
    const where: string[] = [];
    const values: unknown[] = [];
    if (unit !== null) {
      values.push(unit);
      where.push(`unit_ids @> ARRAY[$${values.length}::text]`);
    }
    const { rows, nextCursor } = await keysetPage<WindowRow>(
      this.db,
      { select: `SELECT ${WINDOW_COLUMNS} FROM rm_reporting_windows`, at: 'opened_at', id: 'window_id', order: 'asc', where, values, cursor: filter.cursor, limit: filter.limit },
      (r) => [r.opened_at, r.window_id],
    );
    return { items: rows.map((r) => windowView(r, unit)), nextCursor };
  }
}

function dayView(day: string, row: DayRow | undefined, cutoff: string, now: Date): UnitDayView {
  const due = cutoffAt(day, cutoff);
  const status: DayStatus = row?.filed_at ? (row.late === true ? 'late' : 'filed') : Date.parse(due) <= now.getTime() ? 'missed' : 'pending';
  return {
    date: day,
    cutoffAt: toBeijingIso(due),
    status,
    filedAt: row?.filed_at ? toBeijingIso(row.filed_at) : null,
    nil: row?.nil ?? null,
    itemCount: row?.item_count ?? 0,
    reportEventId: row?.report_event_id ?? null,
    missedEventId: row?.missed_event_id ?? null,
  };
}

@QueryHandler(ReportingComplianceQuery)
export class ReportingComplianceHandler implements IQueryHandler<ReportingComplianceQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ windowId, principal, now }: ReportingComplianceQuery): Promise<ComplianceView> {
    const unit = visibleUnit(principal);
    const window = await visibleWindow(this.db, windowId, unit);
    const unitIds = unit === null ? window.unit_ids : [unit];
    const { rows } = await this.db.query<DayRow>(
      'SELECT unit_id, day, filed_at, late, nil, item_count, report_event_id, missed_event_id FROM rm_reporting_days WHERE window_id = $1 AND unit_id = ANY($2)',
      [windowId, unitIds],
    );
    const byKey = new Map(rows.map((r) => [`${r.unit_id}\n${r.day}`, r]));
    const days = daysOf(window.from_day, window.to_day);
    const units = unitIds.map((unitId) => {
      const views = days.map((day) => dayView(day, byKey.get(`${unitId}\n${day}`), window.cutoff, now));
      const count = (status: DayStatus): number => views.filter((v) => v.status === status).length;
      return { unitId, filed: count('filed'), late: count('late'), missed: count('missed'), pending: count('pending'), days: views };
    });
    return { windowId, name: window.name, from: window.from_day, to: window.to_day, cutoff: window.cutoff, asOf: toBeijingIso(now), units };
  }
}

@QueryHandler(DueReportingChecksQuery)
export class DueReportingChecksHandler implements IQueryHandler<DueReportingChecksQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ now, limit }: DueReportingChecksQuery): Promise<string[]> {
    const { rows } = await this.db.query<{ window_id: string }>('SELECT window_id FROM rm_reporting_windows WHERE next_due_at <= $1 ORDER BY next_due_at, window_id LIMIT $2', [now, limit]);
    return rows.map((r) => r.window_id);
  }
}

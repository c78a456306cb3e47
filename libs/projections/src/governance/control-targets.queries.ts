import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { ratioOf, type IncidentKind, type WarningCause } from '@app/governance';
import { DomainError, toBeijingIso, type Principal } from '@app/shared-kernel';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';
import type { StoredControlTarget } from './control-targets.projection';
import { listScope } from './unit-scope';

/** A control target (控制指标) as GET /control-targets shows it, times in +08:00. */
export interface ControlTargetView {
  /** `<unitId>-<metric>-<year>`. */
  id: string;
  unitId: string;
  metric: IncidentKind;
  year: number;
  limit: number;
  /** Persons (人次) of the unit's incidents of this kind that occurred in the year. */
  used: number;
  /** used ÷ limit (2 = 200%); null for a zero limit (零指标). */
  ratio: number | null;
  /** Thresholds crossed and warned about, e.g. [0.5, 1]. */
  warnings: number[];
  limitHistory: { limit: number; previousLimit: number | null; setAt: string; setBy: { personId: string; name: string }; eventId: string }[];
  warningHistory: { threshold: number; used: number; limit: number; cause: WarningCause; causeEventId: string; incidentId: string | null; raisedAt: string; eventId: string }[];
  version: number;
}

export interface ControlTargetFilter {
  year: number | null;
  unitId: string | null;
  limit: number;
  cursor: string | null;
}

/** The targets set (use without a target is not listed), by unit, metric and year; a unit user sees its own. */
export class ListControlTargetsQuery extends Query<Page<ControlTargetView>> {
  constructor(
    readonly filter: ControlTargetFilter,
    readonly principal: Principal,
  ) {
    super();
  }
}

interface TargetRow {
  target_id: string;
  view: StoredControlTarget;
  version: number;
}

function targetView({ target_id, view, version }: TargetRow): ControlTargetView {
  return {
    id: target_id,
    unitId: view.unitId,
    metric: view.metric as IncidentKind,
    year: view.year,
    limit: view.limit ?? 0,
    used: view.used,
    ratio: ratioOf(view.used, view.limit),
    warnings: view.warned,
    limitHistory: view.limits.map((l) => ({ ...l, setAt: toBeijingIso(l.setAt) })),
    warningHistory: view.raised.map((w) => ({ ...w, raisedAt: toBeijingIso(w.raisedAt) })),
    version,
  };
}

const encodeCursor = (targetId: string): string => Buffer.from(`t:${targetId}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('t:') || decoded.length < 3) throw new DomainError('invalid', 'INVALID_CURSOR', 'The cursor is not one this API gave out.', [{ field: 'cursor', message: 'unknown cursor' }]);
  return decoded.slice(2);
}

@QueryHandler(ListControlTargetsQuery)
export class ListControlTargetsHandler implements IQueryHandler<ListControlTargetsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter, principal }: ListControlTargetsQuery): Promise<Page<ControlTargetView>> {
    const where = ['limit_value IS NOT NULL'];
    const values: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown): void => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    const unitId = listScope(principal, filter.unitId);
    if (unitId !== null) add((n) => `unit_id = ${n}`, unitId);
    if (filter.year !== null) add((n) => `year = ${n}`, filter.year);
    if (filter.cursor !== null) add((n) => `target_id COLLATE "C" > ${n} COLLATE "C"`, decodeCursor(filter.cursor));
    values.push(filter.limit + 1);
    const { rows } = await this.db.query<TargetRow>(`SELECT target_id, view, version FROM rm_control_targets WHERE ${where.join(' AND ')} ORDER BY target_id COLLATE "C" LIMIT $${values.length}`, values);
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return { items: page.map(targetView), nextCursor: rows.length > filter.limit && last ? encodeCursor(last.target_id) : null };
  }
}

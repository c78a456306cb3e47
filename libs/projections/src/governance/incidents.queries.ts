import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import type { IncidentKind } from '@app/governance';
import { toBeijingIso, type Principal } from '@app/shared-kernel';
import { keysetPage } from '../keyset-cursor';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';
import { listScope } from './unit-scope';

/** An incident as GET /incidents shows it, times in +08:00. */
export interface IncidentView {
  id: string;
  unitId: string;
  kind: IncidentKind;
  persons: number;
  occurredAt: string;
  reportedAt: string;
  /** The Beijing calendar year whose control target it counts against. */
  year: number;
  summary: string;
  recordedAt: string;
  recordedBy: { personId: string; name: string };
  /** The event that recorded it (evidence for findings, proofs). */
  eventId: string;
}

export interface IncidentFilter {
  unitId: string | null;
  year: number | null;
  kind: IncidentKind | null;
  limit: number;
  cursor: string | null;
}

/** Newest occurrence first; a unit user sees only its own unit's incidents. */
export class ListIncidentsQuery extends Query<Page<IncidentView>> {
  constructor(
    readonly filter: IncidentFilter,
    readonly principal: Principal,
  ) {
    super();
  }
}

interface IncidentRow {
  incident_id: string;
  event_id: string;
  unit_id: string;
  kind: IncidentKind;
  persons: number;
  occurred_at: Date;
  reported_at: Date;
  year: number;
  summary: string;
  recorded_at: Date;
  recorded_by: { personId: string; name: string };
}

const view = (r: IncidentRow): IncidentView => ({
  id: r.incident_id,
  unitId: r.unit_id,
  kind: r.kind,
  persons: r.persons,
  occurredAt: toBeijingIso(r.occurred_at),
  reportedAt: toBeijingIso(r.reported_at),
  year: r.year,
  summary: r.summary,
  recordedAt: toBeijingIso(r.recorded_at),
  recordedBy: r.recorded_by,
  eventId: r.event_id,
});

@QueryHandler(ListIncidentsQuery)
export class ListIncidentsHandler implements IQueryHandler<ListIncidentsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter, principal }: ListIncidentsQuery): Promise<Page<IncidentView>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown): void => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    const unitId = listScope(principal, filter.unitId);
    if (unitId !== null) add((n) => `unit_id = ${n}`, unitId);
    if (filter.year !== null) add((n) => `year = ${n}`, filter.year);
    if (filter.kind !== null) add((n) => `kind = ${n}`, filter.kind);
    const { rows, nextCursor } = await keysetPage<IncidentRow>(
      this.db,
      { select: 'SELECT * FROM rm_incidents', at: 'occurred_at', id: 'incident_id', order: 'desc', where, values, cursor: filter.cursor, limit: filter.limit },
      (r) => [r.occurred_at, r.incident_id],
    );
    return { items: rows.map(view), nextCursor };
  }
}

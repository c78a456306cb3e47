import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { DomainError, toBeijingIso, type Principal } from '@app/shared-kernel';
import { keysetPage } from '../keyset-cursor';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';
import { listScope, requireReadable } from './unit-scope';

type Person = { personId: string; name: string };

/** An interview (约谈) with its rectification once reported, times in +08:00. */
export interface InterviewView {
  id: string;
  unitId: string;
  personIds: string[];
  reason: string;
  findingIds: string[];
  rectificationDueAt: string;
  recordedAt: string;
  recordedBy: Person;
  eventId: string;
  rectification: { note: string; reportedAt: string; late: boolean; reportedBy: Person | null; eventId: string | null } | null;
  /** Rectification not reported yet. */
  open: boolean;
  /** Not reported and past the rectification deadline at the moment of the read. */
  overdue: boolean;
  version: number;
}

export class GetInterviewQuery extends Query<InterviewView> {
  constructor(
    readonly interviewId: string,
    readonly principal: Principal,
    readonly now: Date,
  ) {
    super();
  }
}

export interface InterviewFilter {
  unitId: string | null;
  /** true: rectification not reported yet; false: reported. */
  open: boolean | null;
  limit: number;
  cursor: string | null;
}

/** Newest first; a unit user sees only its own unit's interviews. */
export class ListInterviewsQuery extends Query<Page<InterviewView>> {
  constructor(
    readonly filter: InterviewFilter,
    readonly principal: Principal,
    readonly now: Date,
  ) {
    super();
  }
}

interface InterviewRow {
  interview_id: string;
  unit_id: string;
  person_ids: string[];
  reason: string;
  finding_ids: string[];
  rectification_due_at: Date;
  recorded_at: Date;
  recorded_by: Person;
  event_id: string;
  rectification_note: string | null;
  rectified_at: Date | null;
  rectification_late: boolean | null;
  rectified_by: Person | null;
  rectification_event_id: string | null;
  version: number;
}

function view(r: InterviewRow, now: Date): InterviewView {
  const rectified = r.rectified_at !== null;
  return {
    id: r.interview_id,
    unitId: r.unit_id,
    personIds: r.person_ids,
    reason: r.reason,
    findingIds: r.finding_ids,
    rectificationDueAt: toBeijingIso(r.rectification_due_at),
    recordedAt: toBeijingIso(r.recorded_at),
    recordedBy: r.recorded_by,
    eventId: r.event_id,
    rectification:
      r.rectified_at === null ? null : { note: r.rectification_note ?? '', reportedAt: toBeijingIso(r.rectified_at), late: r.rectification_late === true, reportedBy: r.rectified_by, eventId: r.rectification_event_id },
    open: !rectified,
    overdue: !rectified && r.rectification_due_at.getTime() < now.getTime(),
    version: r.version,
  };
}

@QueryHandler(GetInterviewQuery)
export class GetInterviewHandler implements IQueryHandler<GetInterviewQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ interviewId, principal, now }: GetInterviewQuery): Promise<InterviewView> {
    const row = (await this.db.query<InterviewRow>('SELECT * FROM rm_interviews WHERE interview_id = $1', [interviewId])).rows[0];
    if (!row) throw new DomainError('not_found', 'INTERVIEW_NOT_FOUND', `There is no interview ${interviewId}.`);
    requireReadable(principal, row.unit_id);
    return view(row, now);
  }
}

@QueryHandler(ListInterviewsQuery)
export class ListInterviewsHandler implements IQueryHandler<ListInterviewsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter, principal, now }: ListInterviewsQuery): Promise<Page<InterviewView>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const unitId = listScope(principal, filter.unitId);
    if (unitId !== null) {
      values.push(unitId);
      where.push(`unit_id = $${values.length}`);
    }
    if (filter.open !== null) where.push(filter.open ? 'rectified_at IS NULL' : 'rectified_at IS NOT NULL');
    const { rows, nextCursor } = await keysetPage<InterviewRow>(
      this.db,
      { select: 'SELECT * FROM rm_interviews', at: 'recorded_at', id: 'interview_id', order: 'desc', where, values, cursor: filter.cursor, limit: filter.limit },
      (r) => [r.recorded_at, r.interview_id],
    );
    return { items: rows.map((r) => view(r, now)), nextCursor };
  }
}

import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import type { RecommendationKind } from '@app/governance';
import { DomainError, toBeijingIso, type Principal } from '@app/shared-kernel';
import { keysetPage } from '../keyset-cursor';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';
import { listScope, requireReadable } from './unit-scope';

type Person = { personId: string; name: string };

/** A recommendation (三项建议) with its answer once given, times in +08:00. */
export interface RecommendationView {
  id: string;
  unitId: string;
  kind: RecommendationKind;
  text: string;
  answerDueAt: string;
  madeAt: string;
  madeBy: Person;
  eventId: string;
  answer: { text: string; adopted: boolean; answeredAt: string; late: boolean; answeredBy: Person | null; eventId: string | null } | null;
  /** Not answered yet. */
  open: boolean;
  /** Not answered and past its answer deadline at the moment of the read. */
  overdue: boolean;
  version: number;
}

export class GetRecommendationQuery extends Query<RecommendationView> {
  constructor(
    readonly recommendationId: string,
    readonly principal: Principal,
    readonly now: Date,
  ) {
    super();
  }
}

export interface RecommendationFilter {
  unitId: string | null;
  /** true: not answered yet; false: answered. */
  open: boolean | null;
  limit: number;
  cursor: string | null;
}

/** Newest first; a unit user sees only those addressed to its unit. */
export class ListRecommendationsQuery extends Query<Page<RecommendationView>> {
  constructor(
    readonly filter: RecommendationFilter,
    readonly principal: Principal,
    readonly now: Date,
  ) {
    super();
  }
}

interface RecommendationRow {
  recommendation_id: string;
  unit_id: string;
  kind: RecommendationKind;
  text: string;
  answer_due_at: Date;
  made_at: Date;
  made_by: Person;
  made_event_id: string;
  answer_text: string | null;
  adopted: boolean | null;
  answered_at: Date | null;
  late: boolean | null;
  answered_by: Person | null;
  answer_event_id: string | null;
  version: number;
}

function view(r: RecommendationRow, now: Date): RecommendationView {
  const answered = r.answered_at !== null;
  return {
    id: r.recommendation_id,
    unitId: r.unit_id,
    kind: r.kind,
    text: r.text,
    answerDueAt: toBeijingIso(r.answer_due_at),
    madeAt: toBeijingIso(r.made_at),
    madeBy: r.made_by,
    eventId: r.made_event_id,
    answer: r.answered_at === null ? null : { text: r.answer_text ?? '', adopted: r.adopted === true, answeredAt: toBeijingIso(r.answered_at), late: r.late === true, answeredBy: r.answered_by, eventId: r.answer_event_id },
    open: !answered,
    overdue: !answered && r.answer_due_at.getTime() < now.getTime(),
    version: r.version,
  };
}

@QueryHandler(GetRecommendationQuery)
export class GetRecommendationHandler implements IQueryHandler<GetRecommendationQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ recommendationId, principal, now }: GetRecommendationQuery): Promise<RecommendationView> {
    const row = (await this.db.query<RecommendationRow>('SELECT * FROM rm_recommendations WHERE recommendation_id = $1', [recommendationId])).rows[0];
    if (!row) throw new DomainError('not_found', 'RECOMMENDATION_NOT_FOUND', `There is no recommendation ${recommendationId}.`);
    requireReadable(principal, row.unit_id);
    return view(row, now);
  }
}

@QueryHandler(ListRecommendationsQuery)
export class ListRecommendationsHandler implements IQueryHandler<ListRecommendationsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter, principal, now }: ListRecommendationsQuery): Promise<Page<RecommendationView>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const unitId = listScope(principal, filter.unitId);
    if (unitId !== null) {
      values.push(unitId);
      where.push(`unit_id = $${values.length}`);
    }
    if (filter.open !== null) where.push(filter.open ? 'answered_at IS NULL' : 'answered_at IS NOT NULL');
    const { rows, nextCursor } = await keysetPage<RecommendationRow>(
      this.db,
      { select: 'SELECT * FROM rm_recommendations', at: 'made_at', id: 'recommendation_id', order: 'desc', where, values, cursor: filter.cursor, limit: filter.limit },
      (r) => [r.made_at, r.recommendation_id],
    );
    return { items: rows.map((r) => view(r, now)), nextCursor };
  }
}

import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import type { CaseSubject, DecisionForm, FollowUp, ObligationKind } from '@app/accountability';
import { DomainError, toBeijingIso } from '@app/shared-kernel';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';
import type { StoredCase } from './accountability.projection';
import { keysetPage } from '../keyset-cursor';

export interface CaseDecisionView {
  decisionId: string;
  /** The event that recorded it, for evidence bundles and proofs. */
  eventId: string | null;
  forms: DecisionForm[];
  subjects: string[];
  basis: string;
  decidedAt: string;
}

export interface ObligationView {
  obligationId: string;
  decisionId: string;
  kind: ObligationKind;
  subjects: string[];
  dueAt: string;
  met: boolean;
  metAt: string | null;
  followUpId: string | null;
  /** Not met and past its due time at the moment of the read. */
  overdue: boolean;
}

/** A follow-up reads as the case recorded it. */
export type FollowUpView = FollowUp;

export interface CaseView {
  id: string;
  title: string;
  findingIds: string[];
  evidenceEventIds: string[];
  taskIds: string[];
  subjects: CaseSubject[];
  openedAt: string;
  openedBy: { personId: string; name: string } | null;
  decisions: CaseDecisionView[];
  obligations: ObligationView[];
  followUps: FollowUpView[];
  version: number;
}

export class GetCaseQuery extends Query<CaseView> {
  constructor(
    readonly caseId: string,
    readonly now: Date,
  ) {
    super();
  }
}

export class ListCasesQuery extends Query<Page<CaseView>> {
  constructor(
    readonly filter: { taskId: string | null; limit: number; cursor: string | null },
    readonly now: Date,
  ) {
    super();
  }
}

/** An obligation of a decision not met by its due time: what `follow_up_overdue` rests on. */
export interface OverdueObligation {
  caseId: string;
  obligationId: string;
  kind: ObligationKind;
  /** The case subjects the decision names (by person or unit id), with their liability. */
  subjects: CaseSubject[];
  /** ISO 8601 UTC. */
  dueAt: string;
  decisionId: string;
  /** The event that recorded the decision (null only for a model built before event ids were kept). */
  decisionEventId: string | null;
  taskIds: string[];
}

/** Obligations not met whose due time is before `now`, oldest due first. */
export class OverdueObligationsQuery extends Query<OverdueObligation[]> {
  constructor(
    readonly now: Date,
    readonly limit = 1000,
  ) {
    super();
  }
}

interface CaseRow {
  view: StoredCase;
  version: number;
}

function caseView({ view, version }: CaseRow, now: Date): CaseView {
  return {
    id: view.caseId,
    title: view.title,
    findingIds: view.findingIds,
    evidenceEventIds: view.evidenceEventIds,
    taskIds: view.taskIds,
    subjects: view.subjects,
    openedAt: toBeijingIso(view.openedAt),
    openedBy: view.openedBy,
    decisions: view.decisions.map((d) => ({ ...d, eventId: view.decisionEventIds[d.decisionId] ?? null, decidedAt: toBeijingIso(d.decidedAt) })),
    obligations: view.obligations.map((o) => ({
      obligationId: o.obligationId,
      decisionId: o.decisionId,
      kind: o.kind,
      subjects: o.subjects,
      dueAt: toBeijingIso(o.dueAt),
      met: o.met,
      metAt: o.metAt === null ? null : toBeijingIso(o.metAt),
      followUpId: o.followUpId,
      overdue: !o.met && Date.parse(o.dueAt) < now.getTime(),
    })),
    followUps: view.followUps.map((f) => ({ ...f, at: toBeijingIso(f.at) })),
    version,
  };
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ caseId, now }: GetCaseQuery): Promise<CaseView> {
    const row = (await this.db.query<CaseRow>('SELECT view, version FROM rm_accountability_cases WHERE case_id = $1', [caseId])).rows[0];
    if (!row) throw new DomainError('not_found', 'CASE_NOT_FOUND', `There is no accountability case ${caseId}.`);
    return caseView(row, now);
  }
}


@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter, now }: ListCasesQuery): Promise<Page<CaseView>> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.taskId !== null) {
      values.push(filter.taskId);
      where.push(`task_ids @> ARRAY[$${values.length}::text]`);
    }
    const { rows, nextCursor } = await keysetPage<CaseRow & { opened_at: Date; case_id: string }>(
      this.db,
      { select: 'SELECT view, version, opened_at, case_id FROM rm_accountability_cases', at: 'opened_at', id: 'case_id', order: 'asc', where, values, cursor: filter.cursor, limit: filter.limit },
      (r) => [r.opened_at, r.case_id],
    );
    return { items: rows.map((r) => caseView(r, now)), nextCursor };
  }
}

@QueryHandler(OverdueObligationsQuery)
export class OverdueObligationsHandler implements IQueryHandler<OverdueObligationsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ now, limit }: OverdueObligationsQuery): Promise<OverdueObligation[]> {
    // open_due_at is the earliest unmet due time, so this finds every case with an overdue obligation.
    const { rows } = await this.db.query<{ view: StoredCase }>('SELECT view FROM rm_accountability_cases WHERE open_due_at < $1 ORDER BY open_due_at, case_id', [now]);
    const overdue = rows.flatMap(({ view }) =>
      view.obligations
        .filter((o) => !o.met && Date.parse(o.dueAt) < now.getTime())
        .map((o) => ({
          caseId: view.caseId,
          obligationId: o.obligationId,
          kind: o.kind,
          subjects: view.subjects.filter((s) => (s.personId !== null && o.subjects.includes(s.personId)) || (s.unitId !== null && o.subjects.includes(s.unitId))),
          dueAt: o.dueAt,
          decisionId: o.decisionId,
          decisionEventId: view.decisionEventIds[o.decisionId] ?? null,
          taskIds: view.taskIds,
        })),
    );
    return overdue.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt)).slice(0, limit);
  }
}

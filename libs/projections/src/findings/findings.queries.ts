import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import type { FindingRule, ResponsiblePerson } from '@app/findings';
import { DomainError, toBeijingIso } from '@app/shared-kernel';
import { READ_MODELS } from '../read-models';
import type { Page } from '../units/units.queries';

export const FINDING_STATUSES = ['open', 'taken_up'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A finding as GET /findings shows it (API.md), times in +08:00. */
export interface FindingView {
  id: string;
  rule: FindingRule;
  taskId: string | null;
  caseId: string | null;
  unitId: string | null;
  personIds: string[];
  people: ResponsiblePerson[];
  evidence: string[];
  detail: string;
  at: string;
  detectedAt: string;
  status: FindingStatus;
  caseIds: string[];
}

export interface FindingFilter {
  unitId: string | null;
  rule: FindingRule | null;
  taskId: string | null;
  open: boolean | null;
  limit: number;
  cursor: string | null;
}

/** Newest first; inspectors and the office see every finding (unit roles are refused before this). */
export class ListFindingsQuery extends Query<Page<FindingView>> {
  constructor(readonly filter: FindingFilter) {
    super();
  }
}

/** Tasks the time-based rules must look at: overdue now (for the scheduler). */
export class OverdueTasksQuery extends Query<string[]> {
  constructor(
    readonly limit: number,
    readonly afterTaskId: string | null,
  ) {
    super();
  }
}

interface FindingRow {
  finding_id: string;
  rule: FindingRule;
  task_id: string | null;
  case_id: string | null;
  unit_id: string | null;
  person_ids: string[];
  people: ResponsiblePerson[];
  evidence: string[];
  detail: string;
  at: Date;
  detected_at: Date;
  status: FindingStatus;
  case_ids: string[];
  position: string;
}

const view = (r: FindingRow): FindingView => ({
  id: r.finding_id,
  rule: r.rule,
  taskId: r.task_id,
  caseId: r.case_id,
  unitId: r.unit_id,
  personIds: r.person_ids,
  people: r.people,
  evidence: r.evidence,
  detail: r.detail,
  at: toBeijingIso(r.at),
  detectedAt: toBeijingIso(r.detected_at),
  status: r.status,
  caseIds: r.case_ids,
});

/** The cursor is the log position of the page's last finding. */
const encodeCursor = (position: string): string => Buffer.from(`f:${position}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const match = /^f:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new DomainError('invalid', 'INVALID_CURSOR', 'The cursor is not one this API gave out.', [{ field: 'cursor', message: 'unknown cursor' }]);
  return match[1];
}

@QueryHandler(ListFindingsQuery)
export class ListFindingsHandler implements IQueryHandler<ListFindingsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ filter }: ListFindingsQuery): Promise<Page<FindingView>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown): void => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (filter.unitId !== null) add((n) => `unit_id = ${n}`, filter.unitId);
    if (filter.rule !== null) add((n) => `rule = ${n}`, filter.rule);
    if (filter.taskId !== null) add((n) => `task_id = ${n}`, filter.taskId);
    if (filter.open !== null) add((n) => `status ${filter.open ? '=' : '<>'} ${n}`, 'open');
    if (filter.cursor !== null) add((n) => `position < ${n}::bigint`, decodeCursor(filter.cursor));
    values.push(filter.limit + 1);
    const { rows } = await this.db.query<FindingRow>(`SELECT * FROM rm_findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position DESC LIMIT $${values.length}`, values);
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return { items: page.map(view), nextCursor: rows.length > filter.limit && last ? encodeCursor(String(last.position)) : null };
  }
}

@QueryHandler(OverdueTasksQuery)
export class OverdueTasksHandler implements IQueryHandler<OverdueTasksQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ limit, afterTaskId }: OverdueTasksQuery): Promise<string[]> {
    const { rows } = await this.db.query<{ task_id: string }>(
      `SELECT task_id FROM rm_tasks WHERE overdue AND task_id COLLATE "C" > $1 COLLATE "C" ORDER BY task_id COLLATE "C" LIMIT $2`,
      [afterTaskId ?? '', limit],
    );
    return rows.map((r) => r.task_id);
  }
}

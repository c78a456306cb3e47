import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { DomainError, toBeijingIso } from '@app/shared-kernel';
import { READ_MODELS } from '../read-models';

export interface PostTerm {
  personId: string;
  name: string;
  post: string;
  from: string;
  /** Null while in post. */
  to: string | null;
  reason: string | null;
}

export interface UnitView {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  registeredAt: string;
  version: number;
  /** Every term (GET /units/{id}) or only the current holders (lists). */
  posts: PostTerm[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class ListUnitsQuery extends Query<Page<UnitView>> {
  constructor(
    readonly limit: number,
    readonly cursor: string | null,
  ) {
    super();
  }
}

export class GetUnitQuery extends Query<UnitView> {
  constructor(readonly unitId: string) {
    super();
  }
}

interface UnitRow {
  unit_id: string;
  name: string;
  kind: string;
  parent_id: string | null;
  registered_at: Date;
  version: number;
}

interface PostRow {
  unit_id: string;
  person_id: string;
  name: string;
  post: string;
  from_at: Date;
  to_at: Date | null;
  reason: string | null;
}

const term = (p: PostRow): PostTerm => ({ personId: p.person_id, name: p.name, post: p.post, from: toBeijingIso(p.from_at), to: p.to_at ? toBeijingIso(p.to_at) : null, reason: p.reason });
const view = (u: UnitRow, posts: PostRow[]): UnitView => ({ id: u.unit_id, name: u.name, kind: u.kind, parentId: u.parent_id, registeredAt: toBeijingIso(u.registered_at), version: u.version, posts: posts.filter((p) => p.unit_id === u.unit_id).map(term) });

/** The cursor is opaque to clients: the last id of the page. */
const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!id || encodeCursor(id) !== cursor) throw new DomainError('invalid', 'INVALID_CURSOR', 'The cursor is not one this API gave out.');
  return id;
}

@QueryHandler(ListUnitsQuery)
export class ListUnitsHandler implements IQueryHandler<ListUnitsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ limit, cursor }: ListUnitsQuery): Promise<Page<UnitView>> {
    const after = cursor === null ? '' : decodeCursor(cursor);
    const units = (await this.db.query<UnitRow>('SELECT * FROM rm_units WHERE unit_id COLLATE "C" > $1 ORDER BY unit_id COLLATE "C" LIMIT $2', [after, limit + 1])).rows;
    const page = units.slice(0, limit);
    const posts = (await this.db.query<PostRow>('SELECT * FROM rm_unit_posts WHERE unit_id = ANY($1) AND to_at IS NULL ORDER BY from_at', [page.map((u) => u.unit_id)])).rows;
    const last = page[page.length - 1];
    return { items: page.map((u) => view(u, posts)), nextCursor: units.length > limit && last ? encodeCursor(last.unit_id) : null };
  }
}

@QueryHandler(GetUnitQuery)
export class GetUnitHandler implements IQueryHandler<GetUnitQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ unitId }: GetUnitQuery): Promise<UnitView> {
    const unit = (await this.db.query<UnitRow>('SELECT * FROM rm_units WHERE unit_id = $1', [unitId])).rows[0];
    if (!unit) throw new DomainError('not_found', 'UNIT_NOT_FOUND', `There is no member unit ${unitId}.`);
    const posts = (await this.db.query<PostRow>('SELECT * FROM rm_unit_posts WHERE unit_id = $1 ORDER BY from_at, person_id', [unitId])).rows;
    return view(unit, posts);
  }
}

import type { PoolClient } from 'pg';
import { canonicalize, computeEventHash, type HashAlgorithm } from '@app/ledger';
import { categoryOf, type NewEvent } from '../../envelope';
import { ConcurrencyError, DuplicateEventError, InvalidAppendError } from '../../errors';
import type { AppendResult } from '../../event-store.port';
import { expectationHolds, type AppendRequest } from './append-request';

/** What one request of a batch came to; a batch commits the successes together. */
export type Outcome = { ok: AppendResult } | { error: Error };

interface Head {
  version: number;
  position: number | null;
  hash: string | null;
}

interface Existing {
  streamId: string;
  version: number;
  position: number;
  /** Lazy: only a retry needs it, and canonicalising costs on the hot path. */
  content: () => string;
}

const PREPARE_SQL = `SELECT sl_reserve_positions($1::int) AS first,
  (SELECT coalesce(json_agg(json_build_object('s', h.stream_id, 'v', h.stream_version, 'p', h.position, 'h', encode(h.hash, 'hex'))), '[]')
     FROM unnest($2::text[]) AS s(id)
     CROSS JOIN LATERAL (SELECT stream_id, stream_version, position, hash FROM events
                          WHERE stream_id = s.id ORDER BY stream_version DESC LIMIT 1) h) AS heads,
  (SELECT coalesce(json_agg(json_build_object('id', d.event_id, 's', d.stream_id, 'v', d.stream_version, 'p', d.position,
            't', d.type, 'sv', d.schema_version, 'd', d.data, 'm', d.metadata)), '[]')
     FROM events d WHERE d.event_id = ANY($3::uuid[])) AS dups`;

const INSERT_SQL = `INSERT INTO events (position, tx_id, event_id, stream_id, category, stream_version, type, schema_version,
    data, metadata, occurred_at, recorded_at, prev_position, prev_hash, hash)
  SELECT u.p, pg_current_xact_id(), u.e, u.s, u.c, u.v, u.t, u.sv, u.d::jsonb, u.m::jsonb, u.o, u.r, u.pp, decode(u.ph, 'hex'), decode(u.h, 'hex')
  FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $8::text[], $9::text[],
              $10::timestamptz[], $11::timestamptz[], $12::bigint[], $13::text[], $14::text[])
       AS u(p, e, s, c, v, t, sv, d, m, o, r, pp, ph, h)`;

type Column = (string | number | null)[];

/** Column-wise insert arrays: one round trip whatever the batch size. */
class InsertColumns {
  readonly cols: Column[] = Array.from({ length: 14 }, () => []);

  push(row: (string | number | null)[]): void {
    row.forEach((value, i) => this.cols[i]?.push(value));
  }

  get size(): number {
    return this.cols[0]?.length ?? 0;
  }
}

function contentOf(e: { type: string; schemaVersion: number; data: unknown; metadata: unknown }): string {
  return canonicalize({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata });
}

/**
 * Writes a group of appends in one transaction (group commit, DESIGN.md §3.4). Each request's
 * expected version and idempotency are settled on its own against the heads read under the
 * transaction, so one refused request never fails another. The unique (stream_id, stream_version)
 * index still guards against writers in other processes; such a race aborts the transaction and
 * the caller retries the batch with fresh heads.
 */
export async function writeBatch(client: PoolClient, batch: AppendRequest[], alg: HashAlgorithm, recordedAt: string): Promise<Outcome[]> {
  const eventCount = batch.reduce((n, r) => n + r.events.length, 0);
  const streamIds = [...new Set(batch.map((r) => r.streamId))];
  const eventIds = batch.flatMap((r) => r.events.map((e) => e.eventId));
  await client.query('BEGIN');
  const prepared = await client.query<{ first: number; heads: { s: string; v: number; p: number; h: string }[]; dups: { id: string; s: string; v: number; p: number; t: string; sv: number; d: unknown; m: unknown }[] }>(
    PREPARE_SQL,
    [eventCount, streamIds, eventIds],
  );
  const row = prepared.rows[0];
  if (!row) throw new Error('position reservation returned nothing');
  const heads = new Map<string, Head>(row.heads.map((h) => [h.s, { version: h.v, position: h.p, hash: h.h }]));
  const existing = new Map<string, Existing>(row.dups.map((d) => [d.id, { streamId: d.s, version: d.v, position: d.p, content: () => contentOf({ type: d.t, schemaVersion: d.sv, data: d.d, metadata: d.m }) }]));
  let nextPosition = row.first;
  const insert = new InsertColumns();
  const outcomes = batch.map((request): Outcome => {
    const stored = heads.get(request.streamId) ?? { version: 0, position: null, hash: null };
    const head = { ...stored };
    const retried = settleRetry(request, existing);
    if (retried) return retried;
    if (!expectationHolds(request.expected, stored.version)) {
      return { error: new ConcurrencyError(request.streamId, request.expected, stored.version) };
    }
    let rows: (string | number | null)[][];
    try {
      rows = request.events.map((event, i) => rowFor(alg, request.streamId, event, head, nextPosition + i, recordedAt));
    } catch (error) {
      return { error: new InvalidAppendError(`Stream ${request.streamId}: ${(error as Error).message}`) };
    }
    const positions = request.events.map((event, i) => {
      const position = nextPosition + i;
      existing.set(event.eventId, { streamId: request.streamId, version: stored.version + i + 1, position, content: () => contentOf(event) });
      return position;
    });
    nextPosition += rows.length;
    rows.forEach((r) => insert.push(r));
    heads.set(request.streamId, head);
    return { ok: { streamId: request.streamId, version: head.version, positions, position: head.position ?? 0 } };
  });
  if (insert.size > 0) {
    await client.query(INSERT_SQL, insert.cols);
  }
  await client.query('COMMIT');
  return outcomes;
}

// jsonb refuses U+0000; find it before the insert so that it fails one request, not the batch.
const NUL_ESCAPE = /(^|[^\\])(\\\\)*\\u0000/;

function toJson(value: unknown, what: string): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error(`${what} is not JSON`);
  if (NUL_ESCAPE.test(json)) throw new Error(`${what} contains a NUL character`);
  return json;
}

/** The insert row of one event; chains it to `head` (the previous event of its stream). */
function rowFor(alg: HashAlgorithm, streamId: string, event: NewEvent, head: Head, position: number, recordedAt: string): (string | number | null)[] {
  const prev = { version: head.version, position: head.position, hash: head.hash };
  const version = head.version + 1;
  const hash = computeEventHash(alg, {
    prevHash: prev.hash, prevPosition: prev.position, eventId: event.eventId, streamId, streamVersion: version, position,
    type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata, recordedAt,
  });
  Object.assign(head, { version, position, hash });
  return [position, event.eventId, streamId, categoryOf(streamId), version, event.type, event.schemaVersion,
    toJson(event.data, 'data'), toJson(event.metadata, 'metadata'), event.metadata.occurredAt, recordedAt, prev.position, prev.hash, hash];
}

/**
 * A request whose event ids are already stored is a retry: the same events at consecutive
 * versions of the same stream return the original positions; anything else is a conflict.
 */
function settleRetry(request: AppendRequest, existing: Map<string, Existing>): Outcome | null {
  const found = request.events.map((e: NewEvent) => existing.get(e.eventId));
  if (found.every((f) => f === undefined)) return null;
  const first = found[0];
  for (let i = 0; i < found.length; i += 1) {
    const f = found[i];
    const event = request.events[i] as NewEvent;
    if (!f || !first || f.streamId !== request.streamId || f.version !== first.version + i || f.content() !== contentOf(event)) {
      return { error: new DuplicateEventError(event.eventId, f ? 'stored with other content or at another place' : 'part of the batch was already stored') };
    }
  }
  const positions = found.map((f) => (f as Existing).position);
  const last = found[found.length - 1] as Existing;
  return { ok: { streamId: request.streamId, version: last.version, positions, position: last.position } };
}

import type { PoolClient } from 'pg';
import { canonicalize, type HashAlgorithm } from '@app/ledger';
import { categoryOf, type NewEvent } from '../../envelope';
import { ConcurrencyError, DuplicateEventError, InvalidAppendError } from '../../errors';
import type { AppendResult, ExpectedVersion } from '../../event-store.port';
import type { AppendRequest } from './append-request';
import { APPEND_SQL, STORED_EVENTS_SQL } from './postgres.append-sql';

/** What one request of a batch came to; a batch commits the successes together. */
export type Outcome = { ok: AppendResult } | { error: Error };

interface StoredRow {
  id: string;
  s: string;
  v: number;
  p: number;
  t: string;
  sv: number;
  d: unknown;
  m: unknown;
}

/** One row per request, in order (see APPEND_SQL). */
interface RequestRow {
  i: number;
  version: number;
  retried: boolean;
  first: number | null;
}

/** Named, so each writer connection parses and plans it once. */
const APPEND_STATEMENT = { name: 'sl_append_v1', text: APPEND_SQL };

/** Column-wise arguments of APPEND_SQL: one round trip whatever the batch size. */
class Arguments {
  readonly streams: string[] = [];
  readonly streamJson: string[] = [];
  readonly categories: string[] = [];
  readonly expected: number[] = [];
  readonly eventReq: number[] = [];
  readonly eventIndex: number[] = [];
  readonly eventIds: string[] = [];
  readonly types: string[] = [];
  readonly typeJson: string[] = [];
  readonly schemaVersions: number[] = [];
  readonly data: string[] = [];
  readonly metadata: string[] = [];
  readonly occurredAt: string[] = [];

  /** Canonicalises one request's events; throws, adding nothing, when one cannot be stored. */
  add(request: AppendRequest): void {
    const texts = request.events.map((e) => [canonicalJson(e.data, 'data'), canonicalJson(e.metadata, 'metadata')] as const);
    const index = this.streams.length + 1;
    this.streams.push(request.streamId);
    this.streamJson.push(canonicalize(request.streamId));
    this.categories.push(categoryOf(request.streamId));
    this.expected.push(expectedCode(request.expected));
    request.events.forEach((e, i) => {
      const [data, metadata] = texts[i] as readonly [string, string];
      this.eventReq.push(index);
      this.eventIndex.push(i + 1);
      this.eventIds.push(e.eventId);
      this.types.push(e.type);
      this.typeJson.push(canonicalize(e.type));
      this.schemaVersions.push(e.schemaVersion);
      this.data.push(data);
      this.metadata.push(metadata);
      this.occurredAt.push(e.metadata.occurredAt);
    });
  }

  values(alg: HashAlgorithm, recordedAt: string): unknown[] {
    return [alg, recordedAt, canonicalize(recordedAt), this.streams, this.streamJson, this.categories, this.expected,
      this.eventReq, this.eventIndex, this.eventIds, this.types, this.typeJson, this.schemaVersions, this.data, this.metadata, this.occurredAt];
  }
}

function expectedCode(expected: ExpectedVersion): number {
  switch (expected) {
    case 'any':
      return -1;
    case 'no_stream':
      return -2;
    case 'stream_exists':
      return -3;
    default:
      return expected;
  }
}

// jsonb refuses U+0000 and unpaired surrogates; find them before the call so that they fail one
// request, not the batch. Canonical JSON writes paired surrogates as characters, so an escaped
// surrogate is always an unpaired one.
const NUL_ESCAPE = /(^|[^\\])(\\\\)*\\u0000/;
const SURROGATE_ESCAPE = /(^|[^\\])(\\\\)*\\ud[89a-f]/;

/** RFC 8785 text: what the hash covers and what jsonb stores. */
function canonicalJson(value: unknown, what: string): string {
  const json = canonicalize(value);
  if (NUL_ESCAPE.test(json)) throw new Error(`${what} contains a NUL character`);
  if (SURROGATE_ESCAPE.test(json)) throw new Error(`${what} contains an unpaired UTF-16 surrogate`);
  return json;
}

/**
 * Writes a group of appends with one statement (group commit, DESIGN.md §3.4). Each request's
 * expected version and idempotency are settled on its own, so one refused request never fails
 * another. The unique (stream_id, stream_version) and event_id indexes guard against writers in
 * other processes; such a race aborts the statement and the caller retries the batch.
 */
export async function writeBatch(client: PoolClient, batch: AppendRequest[], alg: HashAlgorithm, recordedAt: string): Promise<Outcome[]> {
  const outcomes: (Outcome | null)[] = batch.map(() => null);
  const args = new Arguments();
  const sent: number[] = [];
  batch.forEach((request, i) => {
    try {
      args.add(request);
      sent.push(i);
    } catch (error) {
      outcomes[i] = { error: new InvalidAppendError(`Stream ${request.streamId}: ${(error as Error).message}`) };
    }
  });
  if (sent.length > 0) {
    const { rows } = await client.query<RequestRow>({ ...APPEND_STATEMENT, values: args.values(alg, recordedAt) });
    if (rows.length !== sent.length) throw new Error(`append statement returned ${rows.length} rows for ${sent.length} requests`);
    const byIndex = new Map(rows.map((r) => [Number(r.i), r]));
    // The batch is committed: a failed look-up fails only the retried requests.
    const stored = await storedRows(client, rows.some((r) => r.retried) ? sent.map((i) => batch[i] as AppendRequest) : []).catch((error: unknown) => error as Error);
    let offset = 0;
    sent.forEach((i, k) => {
      const request = batch[i] as AppendRequest;
      const row = byIndex.get(k + 1);
      outcomes[i] = row ? settle(request, row, offset, stored) : { error: new Error('append statement skipped a request') };
      offset += request.events.length;
    });
  }
  return outcomes.map((o) => o ?? { error: new Error('append was not settled') });
}

/** Stored rows of the requests' event ids; only a batch with a retried request asks. */
async function storedRows(client: PoolClient, requests: AppendRequest[]): Promise<Map<string, StoredRow>> {
  if (requests.length === 0) return new Map();
  const ids = requests.flatMap((r) => r.events.map((e) => e.eventId));
  const { rows } = await client.query<StoredRow>(STORED_EVENTS_SQL, [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

/** `offset`: events of the batch before this request's first (positions follow the batch order). */
function settle(request: AppendRequest, row: RequestRow, offset: number, stored: Map<string, StoredRow> | Error): Outcome {
  if (row.retried) return stored instanceof Error ? { error: stored } : settleRetry(request, stored);
  if (row.first === null) return { error: new ConcurrencyError(request.streamId, request.expected, row.version) };
  const first = row.first + offset;
  const positions = request.events.map((_, i) => first + i);
  return { ok: { streamId: request.streamId, version: row.version + positions.length, positions, position: first + positions.length - 1 } };
}

function contentOf(e: { type: string; schemaVersion: number; data: unknown; metadata: unknown }): string {
  return canonicalize({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata });
}

/**
 * A request whose event ids are already stored is a retry: the same events at consecutive
 * versions of the same stream return the original positions; anything else is a conflict.
 */
function settleRetry(request: AppendRequest, existing: Map<string, StoredRow>): Outcome {
  const found = request.events.map((e: NewEvent) => existing.get(e.eventId));
  const first = found[0];
  for (let i = 0; i < found.length; i += 1) {
    const f = found[i];
    const event = request.events[i] as NewEvent;
    const same = f && first && f.s === request.streamId && f.v === first.v + i && contentOf({ type: f.t, schemaVersion: f.sv, data: f.d, metadata: f.m }) === contentOf(event);
    if (!same) {
      return { error: new DuplicateEventError(event.eventId, f ? 'stored with other content or at another place' : 'part of the batch was already stored') };
    }
  }
  const last = found[found.length - 1] as StoredRow;
  return { ok: { streamId: request.streamId, version: last.v, positions: found.map((f) => (f as StoredRow).p), position: last.p } };
}

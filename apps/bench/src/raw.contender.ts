import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { LogContender } from './contender';
import { countRows, settle, withClient } from './database';
import { runConcurrently, type BenchEvent, type PayloadPool, type StreamCursor } from './workload';

/**
 * The same shape as the store's `events` table: columns, types, primary key, both unique indexes
 * and both secondary indexes; positions from an identity column, tx_id from a column default.
 */
const SCHEMA = [
  `CREATE TABLE raw_events (
     position        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
     event_id        uuid        NOT NULL,
     stream_id       text        NOT NULL,
     category        text        NOT NULL,
     stream_version  integer     NOT NULL,
     type            text        NOT NULL,
     schema_version  integer     NOT NULL,
     data            jsonb       NOT NULL,
     metadata        jsonb       NOT NULL,
     occurred_at     timestamptz NOT NULL,
     recorded_at     timestamptz NOT NULL,
     prev_position   bigint,
     prev_hash       bytea,
     hash            bytea       NOT NULL,
     CONSTRAINT raw_events_stream_version_uq UNIQUE (stream_id, stream_version),
     CONSTRAINT raw_events_event_id_uq UNIQUE (event_id),
     CONSTRAINT raw_events_version_positive CHECK (stream_version >= 1)
   )`,
  `CREATE INDEX raw_events_category_position_ix ON raw_events (category, position)`,
  `CREATE INDEX raw_events_type_position_ix ON raw_events (type, position)`,
];

const COLUMNS = `event_id, stream_id, category, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, prev_position, prev_hash, hash`;
const PER_ROW = 13;
const CATEGORY = 'supervision.task';
const WRITERS = 8;
const FILL_BATCH = 1000;
const FILL_WRITERS = 2;

const FILL_SQL = `INSERT INTO raw_events (${COLUMNS})
  SELECT u.e, $1, $2, u.v, u.t, 1, u.d::jsonb, u.m::jsonb, u.o, $3, NULL, CASE WHEN u.v > 1 THEN $4::bytea END, $4::bytea
  FROM unnest($5::uuid[], $6::int[], $7::text[], $8::text[], $9::text[], $10::timestamptz[]) AS u(e, v, t, d, m, o)`;

const READ_SQL = `SELECT position, tx_id, event_id, stream_id, category, stream_version, type, schema_version, data, metadata,
    occurred_at, recorded_at, prev_position, prev_hash, hash
  FROM raw_events WHERE position > $1 ORDER BY position LIMIT $2`;

/** `INSERT ... VALUES (...), (...)` for `rows` rows, cached per size. */
const insertSql = new Map<number, string>();
function insertFor(rows: number): string {
  let sql = insertSql.get(rows);
  if (!sql) {
    const tuples = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: PER_ROW }, (_, c) => `$${r * PER_ROW + c + 1}`).join(', ')})`);
    sql = `INSERT INTO raw_events (${COLUMNS}) VALUES ${tuples.join(', ')}`;
    insertSql.set(rows, sql);
  }
  return sql;
}

/**
 * The ceiling: plain parameterised autocommit INSERTs, one pg connection per writer, no hashing
 * (a constant hash fills the column), no version read (the writer knows its stream's version and
 * the unique index checks it). pg serialises data and metadata with JSON.stringify as usual.
 */
export class RawContender implements LogContender {
  readonly name = 'raw';
  private url = '';
  private readonly clients: Client[] = [];
  private readonly hash = randomBytes(32);

  async setup(connectionString: string): Promise<void> {
    this.url = connectionString;
    await withClient(connectionString, async (c) => {
      for (const sql of SCHEMA) await c.query(sql);
    });
    for (let i = 0; i < WRITERS; i += 1) {
      const client = new Client({ connectionString });
      await client.connect();
      this.clients.push(client);
    }
  }

  async appendOne(writer: number, stream: StreamCursor, event: BenchEvent): Promise<void> {
    await this.client(writer).query(insertFor(1), this.row(stream.streamId, stream.version + 1, event, new Date().toISOString()));
  }

  async appendMany(writer: number, stream: StreamCursor, events: BenchEvent[]): Promise<void> {
    const recordedAt = new Date().toISOString();
    const values = events.flatMap((e, i) => this.row(stream.streamId, stream.version + i + 1, e, recordedAt));
    await this.client(writer).query(insertFor(events.length), values);
  }

  async fill(total: number, payloads: PayloadPool, progress: (events: number) => void): Promise<void> {
    let reserved = await this.count();
    let done = 0;
    await runConcurrently(FILL_WRITERS, async (writer) => {
      const n = Math.min(FILL_BATCH, total - reserved);
      if (n <= 0) return false;
      reserved += n;
      const events = payloads.events(n);
      await this.client(writer).query(FILL_SQL, [
        `${CATEGORY}-${events[0]?.eventId ?? ''}`, CATEGORY, new Date().toISOString(), this.hash,
        events.map((e) => e.eventId), events.map((_, i) => i + 1), events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)), events.map((e) => JSON.stringify(e.metadata)), events.map((e) => e.metadata.occurredAt),
      ]);
      done += n;
      progress(done);
      return true;
    });
    await settle(this.url, 'raw_events');
  }

  count(): Promise<number> {
    return countRows(this.url, 'raw_events');
  }

  async readAllPages(pageSize: number): Promise<number> {
    const client = this.client(0);
    let from = '0';
    let read = 0;
    for (;;) {
      const { rows } = await client.query<{ position: string }>(READ_SQL, [from, pageSize]);
      const last = rows[rows.length - 1];
      if (!last) return read;
      read += rows.length;
      from = last.position;
    }
  }

  async teardown(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.end()));
  }

  private client(writer: number): Client {
    const client = this.clients[writer % this.clients.length];
    if (!client) throw new Error('raw contender is not set up');
    return client;
  }

  private row(streamId: string, version: number, e: BenchEvent, recordedAt: string): unknown[] {
    return [e.eventId, streamId, CATEGORY, version, e.type, e.schemaVersion, e.data, e.metadata, e.metadata.occurredAt, recordedAt,
      null, version > 1 ? this.hash : null, this.hash];
  }
}

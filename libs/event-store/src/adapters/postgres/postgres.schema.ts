/**
 * DDL of the event log. Run by the TypeORM migration in libs/projections (one source of truth)
 * and directly by this library's integration tests.
 *
 * Gap safety (DESIGN.md §3.3): every row stores the id of the transaction that wrote it, and
 * readers only see rows whose transaction is older than every running one. That alone is not
 * enough when positions come from a plain sequence: a transaction can take its xid before another
 * yet take its position after it. `sl_reserve_positions` therefore takes the transaction's xid and
 * its block of positions together under a short advisory lock, so xid order equals position order
 * for every event writer, and "xid below the snapshot's xmin" becomes a prefix of the position
 * order.
 */
import { APPEND_PRECONDITIONS_DDL, CHAIN_DDL } from './postgres.append-sql';

export const POSITION_LOCK_KEY = 7_400_155_001;

export const EVENT_STORE_SCHEMA: readonly string[] = [
  `CREATE SEQUENCE IF NOT EXISTS events_position_seq AS bigint MINVALUE 1`,
  `CREATE TABLE IF NOT EXISTS events (
     position        bigint      PRIMARY KEY,
     tx_id           xid8        NOT NULL,
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
     CONSTRAINT events_stream_version_uq UNIQUE (stream_id, stream_version),
     CONSTRAINT events_event_id_uq UNIQUE (event_id),
     CONSTRAINT events_version_positive CHECK (stream_version >= 1)
   )`,
  `CREATE INDEX IF NOT EXISTS events_category_position_ix ON events (category, position)`,
  `CREATE INDEX IF NOT EXISTS events_type_position_ix ON events (type, position)`,
  `CREATE OR REPLACE FUNCTION sl_reserve_positions(n integer) RETURNS bigint LANGUAGE plpgsql AS $$
   DECLARE
     first_position bigint;
   BEGIN
     PERFORM pg_advisory_lock(${POSITION_LOCK_KEY});
     PERFORM pg_current_xact_id();
     first_position := nextval('events_position_seq');
     IF n > 1 THEN
       PERFORM setval('events_position_seq', first_position + n - 1);
     END IF;
     PERFORM pg_advisory_unlock(${POSITION_LOCK_KEY});
     RETURN first_position;
   END $$`,
  `CREATE OR REPLACE FUNCTION sl_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `DROP TRIGGER IF EXISTS events_no_update_delete ON events`,
  `CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION sl_append_only()`,
  `DROP TRIGGER IF EXISTS events_no_truncate ON events`,
  `CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION sl_append_only()`,
  `REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC`,
];

/** What the one-statement append needs (a later migration than the tables). Idempotent. */
export const EVENT_STORE_APPEND_SUPPORT: readonly string[] = [APPEND_PRECONDITIONS_DDL, ...CHAIN_DDL];

/** Everything, for installing the event store directly (tests, benchmark). */
export const EVENT_STORE_DDL: readonly string[] = [...EVENT_STORE_SCHEMA, ...EVENT_STORE_APPEND_SUPPORT];

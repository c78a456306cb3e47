/**
 * One group commit in one autocommit statement (DESIGN.md §3.4, §8): version checks, retried event
 * ids, the position reservation, the hash chain and the insert cost one round trip and one commit.
 * Batches are small (a handful of writers), so the fixed cost of a call decides the throughput, and
 * most of it is executor start-up, which grows with the plan: hence the plain arithmetic below
 * instead of window functions wherever the caller can supply a number.
 *
 * The hash is the persisted format of `computeEventHash` (libs/ledger/src/event-hash.ts), spliced
 * here from RFC 8785 fragments that the caller canonicalised: the data and metadata texts and the
 * quoted stream id, type and recordedAt. SQL writes in only the numbers the database decides
 * (position, prevPosition, streamVersion), and integers print alike in both. `sl_chain` folds the
 * chain of each request in order; the verifier recomputes every hash in Node.
 *
 * Positions are reserved for every event of the batch as soon as one request is accepted, so the
 * k-th event of the batch gets `first + k - 1`; a refused request leaves a gap, which the global
 * log allows (positions are increasing, not contiguous).
 *
 * Parameters: $1 hash algorithm, $2 recordedAt, $3 recordedAt as canonical JSON;
 * per request: $4 stream, $5 stream as canonical JSON, $6 category, $7 expected version
 * (-1 any, -2 no_stream, -3 stream_exists, n ≥ 0 exactly n);
 * per event (requests' events in order): $8 request index (1-based), $9 index within its request
 * (1-based), $10 id, $11 type, $12 type as canonical JSON, $13 schema version, $14 data and $15
 * metadata as canonical JSON, $16 occurredAt. Each stream and each event id appears in at most
 * one request.
 *
 * One row per request (`i`, 1-based): the stream's version before the batch; `first`, the position
 * of the batch's first event, when the request was written; `retried` when some of its event ids
 * are stored already (the caller reads them and decides retry or duplicate); else the expected
 * version failed.
 */
export const APPEND_SQL = `WITH req AS (
  SELECT q.*, coalesce(h.stream_version, 0) AS head_version, h.position AS head_position, h.hash AS head_hash
    FROM unnest($4::text[], $5::text[], $6::text[], $7::bigint[]) WITH ORDINALITY AS q(stream, stream_json, category, expected, i)
    -- LATERAL probes, never a join: a generic plan made while the table was small would otherwise
    -- keep scanning the whole log. The same below.
    LEFT JOIN LATERAL (SELECT y.stream_version, y.position, y.hash FROM events y
                        WHERE y.stream_id = q.stream ORDER BY y.stream_version DESC LIMIT 1) h ON true
), stored AS (
  SELECT DISTINCT u.req FROM unnest($10::uuid[], $8::int[]) AS u(id, req)
    CROSS JOIN LATERAL (SELECT 1 FROM events z WHERE z.event_id = u.id LIMIT 1) d
), verdict AS (
  SELECT req.*, s.req IS NOT NULL AS retried,
         s.req IS NULL AND NOT ((req.expected = -2 AND req.head_version <> 0) OR (req.expected = -3 AND req.head_version = 0)
                                OR (req.expected >= 0 AND req.head_version <> req.expected)) AS accepted
    FROM req LEFT JOIN stored s ON s.req = req.i
), reserve AS MATERIALIZED (
  SELECT sl_reserve_positions(cardinality($10::uuid[])) AS first WHERE EXISTS (SELECT 1 FROM verdict WHERE verdict.accepted)
), chained AS (
  SELECT e.*, v.stream, v.category, v.head_version + e.n AS version, reserve.first + e.k - 1 AS position,
         CASE WHEN e.n = 1 THEN v.head_position ELSE reserve.first + e.k - 2 END AS prev_position,
         sl_chain(v.head_hash, convert_to('{"data":' || e.data || ',"eventId":"' || e.id || '","metadata":' || e.metadata
           || ',"position":' || (reserve.first + e.k - 1)
           || ',"prevPosition":' || CASE WHEN e.n = 1 THEN coalesce(v.head_position::text, 'null') ELSE (reserve.first + e.k - 2)::text END
           || ',"recordedAt":' || $3::text || ',"schemaVersion":' || e.schema_version || ',"streamId":' || v.stream_json
           || ',"streamVersion":' || (v.head_version + e.n) || ',"type":' || e.type_json || '}', 'UTF8'), $1::text)
           OVER (PARTITION BY e.req ORDER BY e.k) AS link
    FROM unnest($8::int[], $9::int[], $10::uuid[], $11::text[], $12::text[], $13::int[], $14::text[], $15::text[], $16::timestamptz[])
           WITH ORDINALITY AS e(req, n, id, type, type_json, schema_version, data, metadata, occurred_at, k)
    JOIN verdict v ON v.i = e.req AND v.accepted CROSS JOIN reserve
), written AS (
  INSERT INTO events (position, tx_id, event_id, stream_id, category, stream_version, type, schema_version,
                      data, metadata, occurred_at, recorded_at, prev_position, prev_hash, hash)
  SELECT c.position, pg_current_xact_id(), c.id, c.stream, c.category, c.version, c.type, c.schema_version,
         c.data::jsonb, c.metadata::jsonb, c.occurred_at, $2::timestamptz, c.prev_position,
         CASE WHEN c.version > 1 THEN substring(c.link FROM 1 FOR 32) END, substring(c.link FROM 33 FOR 32)
    FROM chained c
)
SELECT v.i, v.head_version AS version, v.retried, CASE WHEN v.accepted THEN (SELECT reserve.first FROM reserve) END AS first
  FROM verdict v`;

/** The stored rows of event ids, for settling retried requests. */
export const STORED_EVENTS_SQL = `SELECT event_id AS id, stream_id AS s, stream_version AS v, position AS p, type AS t,
    schema_version AS sv, data AS d, metadata AS m
  FROM events WHERE event_id = ANY($1::uuid[])`;

const GENESIS = `'\\x${'00'.repeat(32)}'::bytea`;

/**
 * `sl_chain(head_hash, bytes, algorithm)`: as a window aggregate over one request's events in
 * order, each event's link: its previous hash (the stream's head hash, or 32 zero bytes, for the
 * first) followed by its own hash, 64 bytes, so that no second window pass is needed for the
 * previous hash. PL/pgSQL so that pgcrypto's `digest` (SM3) is needed only when it is used.
 */
export const CHAIN_DDL: readonly string[] = [
  `CREATE OR REPLACE FUNCTION sl_chain_step(state bytea, head bytea, body bytea, alg text) RETURNS bytea
   LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   DECLARE
     prev bytea := CASE WHEN state IS NULL THEN coalesce(head, ${GENESIS}) ELSE substring(state FROM 33 FOR 32) END;
   BEGIN
     IF alg = 'sm3' THEN
       RETURN prev || digest(prev || body, 'sm3');
     END IF;
     RETURN prev || sha256(prev || body);
   END $$`,
  `CREATE OR REPLACE AGGREGATE sl_chain(bytea, bytea, text) (SFUNC = sl_chain_step, STYPE = bytea)`,
];

/** Fails the schema install early, with a clear message, where the hash splice would go wrong. */
export const APPEND_PRECONDITIONS_DDL = `DO $$
BEGIN
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'the event store needs a UTF8 database (this one is %): hashes are taken over UTF-8 bytes',
      current_setting('server_encoding');
  END IF;
  -- SM3 hashes (LEDGER_ALGORITHM=sm2) come from pgcrypto; SHA-256 needs nothing. pgcrypto is a trusted
  -- extension, so a database owner may install it; where that is not allowed the sm2 profile reports it.
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pgcrypto;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pgcrypto is not available: LEDGER_ALGORITHM=sm2 will not work on this database';
  END;
END $$`;

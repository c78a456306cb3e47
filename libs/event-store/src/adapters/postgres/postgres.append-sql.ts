/**
 * One group commit in one autocommit statement (DESIGN.md §3.4, §8): version checks, retried event
 * ids, the position reservation, the hash chain and the insert cost one round trip and one commit.
 * A PL/pgSQL function doing the same cost about twice as much per call (measured), and most
 * batches are small, so the fixed cost per call decides the throughput.
 *
 * The hash is the persisted format of `computeEventHash` (libs/ledger/src/event-hash.ts), spliced
 * here from RFC 8785 fragments that the caller canonicalised: the data and metadata texts and the
 * quoted stream id, type and recordedAt. SQL writes in only the numbers the database decides
 * (position, prevPosition, streamVersion), and integers print alike in both. `sl_chain` folds the
 * chain of each request in order; the verifier recomputes every hash in Node.
 *
 * Parameters: $1 hash algorithm, $2 recordedAt, $3 recordedAt as canonical JSON;
 * per request: $4 stream, $5 stream as canonical JSON, $6 category, $7 expected version
 * (-1 any, -2 no_stream, -3 stream_exists, n ≥ 0 exactly n), $8 event count;
 * per event (requests' events in order): $9 request index (1-based), $10 id, $11 type,
 * $12 type as canonical JSON, $13 schema version, $14 data and $15 metadata as canonical JSON,
 * $16 occurredAt. Each stream and each event id appears in at most one request.
 *
 * One row per request: the stream's version before the batch, and either the first position
 * written (accepted), or the stored rows of its event ids (`existing`: the caller decides retry or
 * duplicate), or neither (expected version failed).
 */
export const APPEND_SQL = `WITH req AS (
  SELECT q.*, coalesce(h.stream_version, 0) AS head_version, h.position AS head_position, h.hash AS head_hash
    FROM unnest($4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[])
           WITH ORDINALITY AS q(stream, stream_json, category, expected, cnt, i)
    -- LATERAL probes, never a join: a generic plan made while the table was small would otherwise
    -- keep scanning the whole log. The same below.
    LEFT JOIN LATERAL (SELECT y.stream_version, y.position, y.hash FROM events y
                        WHERE y.stream_id = q.stream ORDER BY y.stream_version DESC LIMIT 1) h ON true
), stored AS (
  SELECT u.req, d.* FROM unnest($10::uuid[], $9::int[]) AS u(id, req)
    CROSS JOIN LATERAL (SELECT z.event_id, z.stream_id, z.stream_version, z.position, z.type, z.schema_version, z.data, z.metadata
                          FROM events z WHERE z.event_id = u.id LIMIT 1) d
), ok AS (
  SELECT req.*, sum(req.cnt) OVER (ORDER BY req.i) - req.cnt AS before FROM req
   WHERE req.i NOT IN (SELECT stored.req FROM stored)
     AND NOT ((req.expected = -2 AND req.head_version <> 0) OR (req.expected = -3 AND req.head_version = 0)
              OR (req.expected >= 0 AND req.head_version <> req.expected))
), reserve AS MATERIALIZED (
  SELECT sl_reserve_positions(sum(ok.cnt)::int) AS first FROM ok HAVING sum(ok.cnt) > 0
), ev AS (
  SELECT e.*, ok.stream, ok.stream_json, ok.category, ok.head_position, ok.head_hash,
         ok.head_version + row_number() OVER w AS version, reserve.first + ok.before + row_number() OVER w - 1 AS position
    FROM unnest($9::int[], $10::uuid[], $11::text[], $12::text[], $13::int[], $14::text[], $15::text[], $16::timestamptz[])
           WITH ORDINALITY AS e(req, id, type, type_json, schema_version, data, metadata, occurred_at, k)
    JOIN ok ON ok.i = e.req CROSS JOIN reserve
  WINDOW w AS (PARTITION BY e.req ORDER BY e.k)
), linked AS (
  SELECT ev.*, coalesce(lag(ev.position) OVER w, ev.head_position) AS prev_position
    FROM ev WINDOW w AS (PARTITION BY ev.req ORDER BY ev.k)
), chained AS (
  SELECT linked.*, sl_chain(linked.head_hash, convert_to('{"data":' || linked.data || ',"eventId":"' || linked.id
           || '","metadata":' || linked.metadata || ',"position":' || linked.position
           || ',"prevPosition":' || coalesce(linked.prev_position::text, 'null') || ',"recordedAt":' || $3::text
           || ',"schemaVersion":' || linked.schema_version || ',"streamId":' || linked.stream_json
           || ',"streamVersion":' || linked.version || ',"type":' || linked.type_json || '}', 'UTF8'), $1::text) OVER w AS hash
    FROM linked WINDOW w AS (PARTITION BY linked.req ORDER BY linked.k)
), written AS (
  INSERT INTO events (position, tx_id, event_id, stream_id, category, stream_version, type, schema_version,
                      data, metadata, occurred_at, recorded_at, prev_position, prev_hash, hash)
  SELECT c.position, pg_current_xact_id(), c.id, c.stream, c.category, c.version, c.type, c.schema_version,
         c.data::jsonb, c.metadata::jsonb, c.occurred_at, $2::timestamptz, c.prev_position,
         coalesce(lag(c.hash) OVER w, c.head_hash), c.hash
    FROM chained c WINDOW w AS (PARTITION BY c.req ORDER BY c.k)
)
SELECT req.head_version AS version, (SELECT reserve.first FROM reserve) + ok.before AS first,
       (SELECT jsonb_agg(jsonb_build_object('id', s.event_id, 's', s.stream_id, 'v', s.stream_version, 'p', s.position,
                                            't', s.type, 'sv', s.schema_version, 'd', s.data, 'm', s.metadata))
          FROM stored s WHERE s.req = req.i) AS existing
  FROM req LEFT JOIN ok ON ok.i = req.i ORDER BY req.i`;

const GENESIS = `'\\x${'00'.repeat(32)}'::bytea`;

/**
 * `sl_chain(head_hash, bytes, algorithm)`: as a window aggregate, each event's hash over the
 * previous one (the stream's head hash, or 32 zero bytes, for the first). PL/pgSQL so that
 * pgcrypto's `digest` (SM3) is needed only when it is used.
 */
export const CHAIN_DDL: readonly string[] = [
  `CREATE OR REPLACE FUNCTION sl_chain_step(state bytea, head bytea, body bytea, alg text) RETURNS bytea
   LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
   BEGIN
     IF alg = 'sm3' THEN
       RETURN digest(coalesce(state, head, ${GENESIS}) || body, 'sm3');
     END IF;
     RETURN sha256(coalesce(state, head, ${GENESIS}) || body);
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

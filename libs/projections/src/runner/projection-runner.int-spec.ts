import { Pool } from 'pg';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { runMigrations } from '../data-source';
import type { Projection, SqlClient } from './projection';
import { ProjectionRunner } from './projection-runner';

const event = (i: number) => ({
  eventId: uuidv7(),
  type: 'pr.noted.v1',
  schemaVersion: 1,
  data: { i },
  metadata: { actor: { personId: 'p', name: 'n', unitId: null, roles: [] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: '2026-11-24T00:00:00.000Z' },
});

/** Writes one row per event it is given: a second application would show as a second row. */
function seenProjection(failOn: { i: number | null } = { i: null }): Projection {
  return {
    name: 'test.seen',
    eventTypes: ['pr.noted.v1'],
    tables: ['t_seen'],
    async apply(events: readonly RecordedEvent[], sql: SqlClient) {
      for (const e of events) {
        await sql.query('INSERT INTO t_seen (position) VALUES ($1)', [e.position]);
        if ((e.data as { i: number }).i === failOn.i) throw new Error(`projection bug at ${failOn.i}`);
      }
    },
  };
}

const waitUntil = async (ok: () => boolean, timeoutMs = 5_000): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

describe('ProjectionRunner', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('proj_runner');
    await runMigrations(db.url);
    pool = new Pool({ connectionString: db.url, max: 6 });
    store = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  beforeEach(async () => {
    await pool.query('DROP TABLE IF EXISTS t_seen');
    await pool.query('CREATE TABLE t_seen (position bigint NOT NULL)');
    await pool.query(`DELETE FROM projection_checkpoints WHERE name = 'test.seen'`);
  });

  /** Rows written for events after `after` (earlier tests' events are replayed too: the checkpoint was reset). */
  const seen = async (after: number): Promise<{ rows: number; distinct: number }> => {
    const { rows } = await pool.query<{ rows: string; distinct: string }>('SELECT count(*) AS rows, count(DISTINCT position) AS distinct FROM t_seen WHERE position > $1', [after]);
    return { rows: Number(rows[0]?.rows), distinct: Number(rows[0]?.distinct) };
  };

  it('applies every event exactly once, even with two runners following the same projection', async () => {
    const other = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 50 });
    const runners = [new ProjectionRunner(store, pool, [seenProjection()]), new ProjectionRunner(other, pool, [seenProjection()])];
    try {
      await Promise.all(runners.map((r) => r.start()));
      const before = await store.headPosition();
      let head = 0;
      await Promise.all(Array.from({ length: 8 }, async (_, w) => {
        for (let k = 0; k < 25; k += 1) head = Math.max(head, (await store.append(`pr.s-${w}-${k}`, [event(w * 100 + k)], 'no_stream')).position);
      }));
      expect(await Promise.all(runners.map((r) => r.waitFor(head, 10_000)))).toEqual([true, true]);
      expect(await seen(before)).toEqual({ rows: 200, distinct: 200 });
      const { rows } = await pool.query<{ position: string }>(`SELECT position FROM projection_checkpoints WHERE name = 'test.seen'`);
      expect(Number(rows[0]?.position)).toBeGreaterThanOrEqual(head);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      await other.close();
    }
  });

  it('rolls a failed batch back with its checkpoint, and goes on from there once the projection works', async () => {
    const failOn = { i: 3 as number | null };
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(store, pool, [seenProjection(failOn)], (_, error) => errors.push(error));
    try {
      const before = await store.headPosition();
      const written = await store.append(`pr.f-${uuidv7()}`, [0, 1, 2, 3, 4].map(event), 'no_stream');
      await runner.start();
      const deadline = Date.now() + 5000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(String(errors[0])).toContain('projection bug at 3');
      expect(await seen(0)).toEqual({ rows: 0, distinct: 0 });
      expect(runner.positionOf('test.seen')).toBe(0);
      failOn.i = null; // the fix is deployed; the runner restarts from its checkpoint
      expect(await runner.waitFor(written.position, 10_000)).toBe(true);
      expect(await seen(before)).toEqual({ rows: 5, distinct: 5 });
    } finally {
      await runner.stop();
    }
  });

  it('reads the log once for all projections, and one projection’s bug does not hold the others back', async () => {
    const failOn = { i: 5007 as number | null }; // not an i that earlier tests wrote (they are replayed)
    const errors: string[] = [];
    const healthy: Projection = { ...seenProjection(), name: 'test.healthy', tables: ['t_healthy'], apply: async (events, sql) => {
      for (const e of events) await sql.query('INSERT INTO t_healthy (position) VALUES ($1)', [e.position]);
    } };
    await pool.query('DROP TABLE IF EXISTS t_healthy');
    await pool.query('CREATE TABLE t_healthy (position bigint NOT NULL)');
    await pool.query(`DELETE FROM projection_checkpoints WHERE name = 'test.healthy'`);
    const subscriptions = jest.spyOn(store, 'subscribe');
    const runner = new ProjectionRunner(store, pool, [seenProjection(failOn), healthy], (name, error) => errors.push(`${name}: ${String(error)}`));
    try {
      await runner.start();
      expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
      expect(subscriptions).toHaveBeenCalledTimes(1); // so each wake-up is one read of the log, not one per projection
      const before = await store.headPosition();
      const written = await store.append(`pr.g-${uuidv7()}`, [5005, 5006].map(event), 'no_stream');
      expect(await runner.waitFor(written.position, 5_000)).toBe(true);
      const poisoned = await store.append(`pr.g-${uuidv7()}`, [5007, 5008].map(event), 'no_stream');
      expect(await waitUntil(() => runner.positionOf('test.healthy') >= poisoned.position)).toBe(true);
      expect(runner.positionOf('test.seen')).toBeLessThan(poisoned.position);
      expect(errors.join()).toContain('test.seen: Error: projection bug at 5007');
      failOn.i = null;
      expect(await runner.waitFor(poisoned.position, 10_000)).toBe(true);
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM t_healthy WHERE position > $1', [before]);
      expect(Number(rows[0]?.n)).toBe(4);
      expect(await seen(before)).toEqual({ rows: 4, distinct: 4 });
    } finally {
      subscriptions.mockRestore();
      await runner.stop();
    }
  });

  it('tells a reader in another process how far the projections are, from their checkpoints', async () => {
    const worker = new ProjectionRunner(store, pool, [seenProjection()]);
    const reader = new ProjectionRunner(store, pool, [seenProjection()]);
    try {
      await worker.start();
      const written = await store.append(`pr.r-${uuidv7()}`, [event(1)], 'no_stream');
      expect(await reader.waitFor(written.position, 10_000)).toBe(true);
      expect(reader.position).toBeGreaterThanOrEqual(written.position);
      expect(await reader.waitFor(written.position + 1_000_000, 200)).toBe(false);
    } finally {
      await worker.stop();
    }
  });

  it('moves past other contexts’ events without a transaction each, and still tells other processes', async () => {
    const worker = new ProjectionRunner(store, pool, [seenProjection()]);
    const reader = new ProjectionRunner(store, pool, [seenProjection()]);
    const other = (i: number) => ({ ...event(i), type: 'pr.elsewhere.v1' });
    try {
      await worker.start();
      expect(await worker.waitFor(await store.headPosition(), 5_000)).toBe(true);
      const before = await seen(0);
      let last = 0;
      for (let i = 0; i < 20; i += 1) last = (await store.append(`pr.o-${uuidv7()}`, [other(i)], 'no_stream')).position;
      expect(await worker.waitFor(last, 5_000)).toBe(true);
      // Another process reads the checkpoint row, which follows within the throttle window.
      expect(await reader.waitFor(last, 5_000)).toBe(true);
      expect(await seen(0)).toEqual(before);
      const tail = (await store.append(`pr.o-${uuidv7()}`, [other(99)], 'no_stream')).position;
      expect(await worker.waitFor(tail, 5_000)).toBe(true);
      await worker.stop();
      const { rows } = await pool.query<{ position: string }>(`SELECT position FROM projection_checkpoints WHERE name = 'test.seen'`);
      expect(Number(rows[0]?.position)).toBeGreaterThanOrEqual(tail);
    } finally {
      await worker.stop();
    }
  });
});

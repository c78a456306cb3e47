import { Pool } from 'pg';
import { PostgresEventStore, type NewEvent } from '@app/event-store';
import { uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { runMigrations } from '../data-source';
import { meetingsProjection } from '../meetings/meetings.projection';
import { PROJECTIONS } from '../projections.module';
import type { Projection } from '../runner/projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { unitsProjection } from '../units/units.projection';
import { rebuildProjection } from './rebuild-projection';

const actor = { personId: 'p-office', name: '联席办', unitId: null, roles: ['office'] };
const event = (type: string, data: unknown, at = '2026-03-10T02:00:00.000Z'): NewEvent => ({
  eventId: uuidv7(),
  type,
  schemaVersion: 1,
  data,
  metadata: { actor, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: at },
});

/** A unit whose head changed once, and a meeting with two decisions: every event type of both projections. */
async function writeHistory(store: PostgresEventStore, n: number): Promise<number> {
  let head = 0;
  for (let i = 0; i < n; i += 1) {
    const unitId = `u-${uuidv7()}`;
    const meetingId = `m-${uuidv7()}`;
    const from = `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00.000Z`;
    await store.append(`units.unit-${unitId}`, [
      event('units.unit-registered.v1', { unitId, name: `单位${i}`, kind: 'county', parentId: null }),
      event('units.post-assigned.v1', { unitId, personId: `p-${i}`, name: `甲${i}`, post: 'primary_leader', from }),
      event('units.post-ended.v1', { unitId, personId: `p-${i}`, post: 'primary_leader', from, to: '2026-03-01T00:00:00.000Z', reason: '调任' }),
    ], 'no_stream');
    await store.append(`units.unit-${unitId}`, [event('units.post-assigned.v1', { unitId, personId: `q-${i}`, name: `乙${i}`, post: 'primary_leader', from: '2026-03-01T00:00:00.000Z' })], 3);
    await store.append(`meetings.meeting-${meetingId}`, [
      event('meetings.meeting-held.v1', { meetingId, title: `会议${i}`, kind: 'thematic', convenorId: 'p-chen', convenorName: '陈书记', heldAt: from, attendees: [{ personId: `p-${i}`, name: `甲${i}`, unitId }] }),
      ...[1, 2].map((d) => event('meetings.decision-recorded.v1', { meetingId, decisionId: `d${d}`, text: `议定${d}`, deciders: ['p-chen'], participants: [`p-${i}`], dissents: [], taskIds: [] })),
    ], 'no_stream');
    head = Math.max(head, await store.headPosition());
  }
  return head;
}

describe('rebuildProjection', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const tables = PROJECTIONS.flatMap((p) => [...p.tables]);

  /** Every row of every read model, in a stable order. */
  const snapshot = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const t of tables) out[t] = (await pool.query<{ r: string }>(`SELECT to_jsonb(x)::text AS r FROM ${t} x ORDER BY 1`)).rows.map((row) => row.r);
    return out;
  };
  const indexes = async () => (await pool.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY indexname`, [tables])).rows;
  const checkpoint = async (name: string) => Number((await pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE name = $1', [name])).rows[0]?.position);
  const scratchSchemas = async () => (await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'`)).rows;

  /** The model folded from the whole log into empty tables in one go, independently of the rebuild code. */
  const foldFromScratch = async (projection: Projection): Promise<Record<string, string[]>> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE SCHEMA reference');
      for (const t of projection.tables) await client.query(`CREATE TABLE reference.${t} (LIKE public.${t} INCLUDING ALL)`);
      await client.query('SET LOCAL search_path TO reference');
      for (let from = 0; ;) {
        const page = await store.readAll({ fromPosition: from, types: [...projection.eventTypes] });
        await projection.apply(page.events, client);
        if (page.lastPosition === from) break;
        from = page.lastPosition;
      }
      const out: Record<string, string[]> = {};
      for (const t of projection.tables) out[t] = (await client.query<{ r: string }>(`SELECT to_jsonb(x)::text AS r FROM ${t} x ORDER BY 1`)).rows.map((row) => row.r);
      return out;
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  };
  const only = (all: Record<string, string[]>, projection: Projection) => Object.fromEntries(projection.tables.map((t) => [t, all[t]]));

  beforeAll(async () => {
    db = await createTestDatabase('proj_rebuild');
    await runMigrations(db.url);
    pool = new Pool({ connectionString: db.url, max: 8 });
    store = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 20 });
    const head = await writeHistory(store, 30);
    const runner = new ProjectionRunner(store, pool, PROJECTIONS);
    await runner.start();
    expect(await runner.waitFor(head, 10_000)).toBe(true);
    await runner.stop();
  });
  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('ends with the rows the live projection had, the same index names, and the checkpoint at the head', async () => {
    const rows = await snapshot();
    const before = await indexes();
    const head = await store.headPosition();
    expect(rows.rm_units).toHaveLength(30);
    expect(rows.rm_unit_posts).toHaveLength(60);
    expect(rows.rm_meeting_decisions).toHaveLength(60);
    for (const projection of PROJECTIONS) {
      const phases = new Set<string>();
      const result = await rebuildProjection(pool, store, projection, { batchSize: 25, onProgress: (p) => phases.add(p.phase) });
      expect(result.position).toBe(head);
      expect(await checkpoint(projection.name)).toBe(head);
      expect([...phases]).toEqual(['replay', 'indexes', 'swap']);
    }
    expect((await rebuildProjection(pool, store, unitsProjection)).events).toBe(120);
    expect(await snapshot()).toEqual(rows);
    expect(await indexes()).toEqual(before);
    expect(before.map((i) => i.indexname)).toEqual(expect.arrayContaining(['rm_units_pkey', 'rm_unit_posts_person_ix']));
    expect(await scratchSchemas()).toEqual([]);
  });

  it('completes while the live runner runs and writers append, and the model then equals a fold of the whole log', async () => {
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(store, pool, [unitsProjection, meetingsProjection], (_, e) => errors.push(e));
    await runner.start();
    let writing = true;
    // Steady traffic, well below what the replay manages (an unbounded stream would only move the work into the swap).
    const writers = Array.from({ length: 2 }, async () => {
      while (writing) {
        await writeHistory(store, 1);
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const [units, meetings] = await Promise.all([
        rebuildProjection(pool, store, unitsProjection, { batchSize: 50 }),
        rebuildProjection(pool, store, meetingsProjection, { batchSize: 50 }),
      ]);
      await new Promise((r) => setTimeout(r, 100)); // writes on top of the swapped-in tables
      writing = false;
      await Promise.all(writers);
      expect(units.events).toBeGreaterThan(120);
      expect(meetings.events).toBeGreaterThan(90);
      expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    } finally {
      writing = false;
      await Promise.all(writers);
      await runner.stop();
    }
    expect(errors).toEqual([]);
    const rows = await snapshot();
    expect(rows.rm_units?.length).toBeGreaterThan(30);
    expect(only(rows, unitsProjection)).toEqual(await foldFromScratch(unitsProjection));
    expect(only(rows, meetingsProjection)).toEqual(await foldFromScratch(meetingsProjection));
  });

  it('leaves the live model untouched and no scratch schema behind when apply fails', async () => {
    const rows = await snapshot();
    const position = await checkpoint('units.v1');
    let calls = 0;
    const broken: Projection = {
      ...unitsProjection,
      async apply(events, sql) {
        calls += 1;
        if (calls === 3) throw new Error('projection bug');
        await unitsProjection.apply(events, sql);
      },
    };
    await expect(rebuildProjection(pool, store, broken, { batchSize: 10 })).rejects.toThrow('projection bug');
    expect(await snapshot()).toEqual(rows);
    expect(await checkpoint('units.v1')).toBe(position);
    expect(await scratchSchemas()).toEqual([]);
  });

  it('rolls the swap back when the live tables cannot be dropped, and a projection writing an undeclared table is refused', async () => {
    const rows = await snapshot();
    await pool.query('CREATE VIEW v_units AS SELECT unit_id FROM rm_units');
    try {
      await expect(rebuildProjection(pool, store, unitsProjection)).rejects.toThrow(/depend/);
    } finally {
      await pool.query('DROP VIEW v_units');
    }
    const forgetful: Projection = { ...unitsProjection, tables: ['rm_units'] };
    await expect(rebuildProjection(pool, store, forgetful)).rejects.toThrow(/rm_unit_posts.*`tables`/);
    expect(await snapshot()).toEqual(rows);
    expect(await scratchSchemas()).toEqual([]);
  });

  it('runs one rebuild of a projection at a time, drops what a killed one left, and keeps grants', async () => {
    await pool.query(`CREATE SCHEMA rebuild_killed; COMMENT ON SCHEMA rebuild_killed IS 'rebuild of meetings.v1'`);
    const role = `rebuild_reader_${uuidv7().slice(-8)}`;
    await pool.query(`CREATE ROLE ${role}; GRANT SELECT ON rm_meetings TO ${role}`);
    try {
      const both = await Promise.allSettled([rebuildProjection(pool, store, meetingsProjection), rebuildProjection(pool, store, meetingsProjection)]);
      expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(String(both.find((r) => r.status === 'rejected')?.reason)).toContain('another rebuild');
      expect(await scratchSchemas()).toEqual([]);
      const { rows } = await pool.query<{ can: boolean }>(`SELECT has_table_privilege($1, 'rm_meetings', 'SELECT') AS can`, [role]);
      expect(rows[0]?.can).toBe(true);
    } finally {
      await pool.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });
});

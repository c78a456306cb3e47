import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { runMigrations } from '../data-source';

/**
 * A pg_dump restored into another cluster brings each event's `tx_id` from the old cluster, whose
 * transaction counter is usually far ahead of the new one's: the gap-safe reads hide every row whose
 * transaction looks newer than the oldest running one. README "Restore" resets them as below.
 */
describe('events restored from a busier cluster', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('restore');
    await runMigrations(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    store = new PostgresEventStore({ connectionString: db.url });
    for (let i = 0; i < 3; i += 1) {
      await store.append(`restore.task-${i}`, [{ eventId: uuidv7(), type: 'restore.noted.v1', schemaVersion: 1, data: { i }, metadata: { actor: { personId: 'p', name: 'n', unitId: null, roles: [] }, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: new Date().toISOString() } }], 'no_stream');
    }
  });
  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('stay invisible until their transaction ids are reset, and then read whole with their hashes', async () => {
    const before = (await store.readAll({ fromPosition: 0 })).events;
    expect(before).toHaveLength(3);
    // What pg_restore leaves behind: transaction ids a million ahead of this cluster's counter.
    await pool.query(`BEGIN;
      ALTER TABLE events DISABLE TRIGGER events_no_update_delete;
      UPDATE events SET tx_id = (pg_current_xact_id()::text::bigint + 1000000)::text::xid8;
      ALTER TABLE events ENABLE TRIGGER events_no_update_delete;
      COMMIT`);
    expect((await store.readAll({ fromPosition: 0 })).events).toHaveLength(0);
    expect(await store.headPosition()).toBe(0);

    // The README's step after pg_restore (as the owner, nothing else connected).
    await pool.query(`BEGIN;
      ALTER TABLE events DISABLE TRIGGER events_no_update_delete;
      UPDATE events SET tx_id = '0' WHERE tx_id >= pg_snapshot_xmin(pg_current_snapshot());
      ALTER TABLE events ENABLE TRIGGER events_no_update_delete;
      COMMIT`);
    const after = (await store.readAll({ fromPosition: 0 })).events;
    expect(after.map((e) => [e.position, e.streamId, e.hash])).toEqual(before.map((e) => [e.position, e.streamId, e.hash]));
    expect((await refusal(pool.query(`UPDATE events SET tx_id = '0'`))).message).toMatch(/append-only/);
  });
});

async function refusal(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the database accepted it');
}

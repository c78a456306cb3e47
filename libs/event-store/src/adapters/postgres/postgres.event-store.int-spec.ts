import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { describeEventStoreContract, newEvent } from '../../testing/event-store.contract';
import { PostgresEventStore } from './postgres.event-store';
import { installEventStoreSchema } from './postgres.test-support';

describeEventStoreContract('postgres', async ({ clock, upcasters }) => {
  const db = await createTestDatabase('es_contract');
  await installEventStoreSchema(db.url);
  const store = new PostgresEventStore({ connectionString: db.url, clock, upcasters, pollIntervalMs: 100 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgresEventStore specifics', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let sql: Client;

  beforeAll(async () => {
    db = await createTestDatabase('es_pg');
    await installEventStoreSchema(db.url);
    store = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 100 });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await store.close();
    await db.drop();
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the events table', async () => {
    await store.append('imm.x-1', [newEvent('imm.a.v1', { v: 1 })], 'no_stream');
    await expect(sql.query(`UPDATE events SET data = '{"v":2}' WHERE stream_id = 'imm.x-1'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(sql.query(`DELETE FROM events WHERE stream_id = 'imm.x-1'`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(sql.query(`TRUNCATE events`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const { rows } = await sql.query(`SELECT data FROM events WHERE stream_id = 'imm.x-1'`);
    expect(rows).toEqual([{ data: { v: 1 } }]);
  });

  it('refuses an event id already stored in another stream (a global unique index)', async () => {
    const e = newEvent('dup.a.v1', { x: 1 });
    await store.append('dup.s-1', [e], 'no_stream');
    await expect(store.append('dup.s-2', [e], 'any')).rejects.toMatchObject({ name: 'DuplicateEventError' });
    expect(await store.streamHead('dup.s-2')).toBeNull();
  });

  it('settles each append of a group commit on its own: a conflict or a bad event fails only itself', async () => {
    await store.append('grp.s-1', [newEvent('grp.a.v1', {})], 'no_stream');
    const results = await Promise.allSettled([
      store.append('grp.s-2', [newEvent('grp.a.v1', { ok: 1 })], 'no_stream'),
      store.append('grp.s-1', [newEvent('grp.a.v1', {})], 'no_stream'),
      store.append('grp.s-3', [newEvent('grp.a.v1', { text: 'bad\u0000byte' })], 'no_stream'),
      store.append('grp.s-4', [newEvent('grp.a.v1', { ok: 2 })], 'no_stream'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'ConcurrencyError' });
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ name: 'InvalidAppendError' });
    expect(await store.streamHead('grp.s-3')).toBeNull();
    expect((await store.streamHead('grp.s-4'))?.version).toBe(1);
  });

  it('keeps one hash chain per stream when two processes append to it at once', async () => {
    const other = new PostgresEventStore({ connectionString: db.url });
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? store : other).append('two.s-1', [newEvent('two.a.v1', { i })], 'any')));
      const events = await store.readStream('two.s-1');
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      events.slice(1).forEach((e, i) => expect(e.prevHash).toBe(events[i]?.hash));
    } finally {
      await other.close();
    }
  });

  it('wakes a subscriber in another process through LISTEN/NOTIFY well before the polling interval', async () => {
    const follower = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 60_000 });
    const from = await store.headPosition();
    try {
      const seen = new Promise<number>((resolve) => {
        follower.subscribe({ fromPosition: from, categories: ['wake.s'], handler: async (events) => (events.length ? resolve(Date.now()) : undefined) });
      });
      await new Promise((r) => setTimeout(r, 300));
      const start = Date.now();
      await store.append('wake.s-1', [newEvent('wake.a.v1', {})], 'no_stream');
      expect((await seen) - start).toBeLessThan(2000);
    } finally {
      await follower.close();
    }
  });
});

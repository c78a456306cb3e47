import fc from 'fast-check';
import { Client } from 'pg';
import { uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { newEvent } from '../../testing/event-store.contract';
import { PostgresEventStore } from './postgres.event-store';
import { installEventStoreSchema } from './postgres.test-support';

/** The same store with the gap guard taken out: the property below must catch it. */
class UnguardedStore extends PostgresEventStore {
  protected override gapGuard(): string {
    return 'true';
  }
}

interface SlowWrite {
  holdMs: number;
  rollback: boolean;
}

interface Plan {
  fastWriters: number;
  fastAppendsEach: number;
  slow: SlowWrite[];
}

/**
 * A writer that takes its position the way every append does (sl_reserve_positions), then keeps
 * its transaction open for a while before committing or rolling back.
 */
async function slowWrite(url: string, category: string, w: SlowWrite): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('BEGIN');
    const { rows } = await c.query<{ p: string }>('SELECT sl_reserve_positions(1) AS p');
    await c.query(
      `INSERT INTO events (position, tx_id, event_id, stream_id, category, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, hash)
       VALUES ($1, pg_current_xact_id(), $2, $3, $4, 1, 'gap.slow.v1', 1, '{}', '{}', now(), now(), '\\x00')`,
      [rows[0]?.p, uuidv7(), `${category}-slow-${uuidv7()}`, category],
    );
    await new Promise((r) => setTimeout(r, w.holdMs));
    await c.query(w.rollback ? 'ROLLBACK' : 'COMMIT');
  } finally {
    await c.end();
  }
}

/** Runs writers while a follower reads the log; returns committed positions the follower missed or saw twice. */
async function runScenario(db: TestDatabase, reader: PostgresEventStore, writers: PostgresEventStore[], plan: Plan): Promise<{ missed: number[]; duplicated: number[]; committed: number }> {
  const category = `gap${uuidv7().replace(/-/g, '').slice(-10)}.s`;
  const from = await reader.headPosition();
  const seen: number[] = [];
  const sub = reader.subscribe({ fromPosition: from, categories: [category], batchSize: 7, handler: async (events) => void seen.push(...events.map((e) => e.position)) });
  const fast = Array.from({ length: plan.fastWriters }, async (_, w) => {
    for (let i = 0; i < plan.fastAppendsEach; i += 1) {
      await (writers[w % writers.length] as PostgresEventStore).append(`${category}-${w}-${i}`, [newEvent('gap.fast.v1', { w, i })], 'no_stream');
    }
  });
  await Promise.all([...fast, ...plan.slow.map((s) => slowWrite(db.url, category, s))]);
  const check = new Client({ connectionString: db.url });
  await check.connect();
  const { rows } = await check.query<{ position: string }>('SELECT position FROM events WHERE category = $1 ORDER BY position', [category]);
  await check.end();
  const committed = rows.map((r) => Number(r.position));
  const deadline = Date.now() + 5000;
  while (seen.length < committed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 50));
  await sub.stop();
  const seenSet = new Set(seen);
  return {
    missed: committed.filter((p) => !seenSet.has(p)),
    duplicated: seen.filter((p, i) => seen.indexOf(p) !== i),
    committed: committed.length,
  };
}

describe('gap-safe global log (DESIGN.md §3.3)', () => {
  let db: TestDatabase;
  let writers: PostgresEventStore[];

  beforeAll(async () => {
    db = await createTestDatabase('es_gap');
    await installEventStoreSchema(db.url);
    writers = Array.from({ length: 3 }, () => new PostgresEventStore({ connectionString: db.url, poolSize: 4 }));
  });
  afterAll(async () => {
    await Promise.all(writers.map((w) => w.close()));
    await db.drop();
  });

  const planArb = fc.record({
    fastWriters: fc.integer({ min: 2, max: 8 }),
    fastAppendsEach: fc.integer({ min: 3, max: 15 }),
    slow: fc.array(fc.record({ holdMs: fc.integer({ min: 5, max: 150 }), rollback: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  });

  it('a follower never skips or repeats an event, with concurrent writers, rollbacks and long transactions', async () => {
    const reader = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 50 });
    try {
      await fc.assert(
        fc.asyncProperty(planArb, async (plan) => {
          const r = await runScenario(db, reader, writers, plan);
          expect(r.missed).toEqual([]);
          expect(r.duplicated).toEqual([]);
        }),
        { numRuns: 12 },
      );
    } finally {
      await reader.close();
    }
  });

  it('the same property fails when the gap guard is removed (the test can catch the bug)', async () => {
    const reader = new UnguardedStore({ connectionString: db.url, pollIntervalMs: 50 });
    try {
      const result = await fc.check(
        fc.asyncProperty(planArb, async (plan) => {
          const r = await runScenario(db, reader, writers, { ...plan, slow: plan.slow.map((s) => ({ holdMs: s.holdMs + 100, rollback: false })) });
          return r.missed.length === 0;
        }),
        // The first failure is the answer; shrinking would only wait out more missing events.
        { numRuns: 12, endOnFailure: true },
      );
      expect(result.failed).toBe(true);
    } finally {
      await reader.close();
    }
  });
});

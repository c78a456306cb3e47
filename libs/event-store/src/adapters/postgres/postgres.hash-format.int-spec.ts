import fc from 'fast-check';
import { verifyChains, type ChainEvent } from '@app/ledger';
import { uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { NewEvent } from '../../envelope';
import { newEvent } from '../../testing/event-store.contract';
import { PostgresEventStore } from './postgres.event-store';
import { APPEND_SQL } from './postgres.append-sql';
import { createPool } from './postgres.pool';
import { installEventStoreSchema } from './postgres.test-support';

// PostgreSQL computes each hash by splicing canonical JSON fragments (postgres.append-sql.ts);
// the ledger recomputes it in Node from the stored envelope. These tests hold the two together.

/** Any code point, NUL and unpaired surrogates included: those must be refused, alone. */
const anyText = fc.string({ unit: 'binary', maxLength: 12 });
const json = fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 });

const requestArb = fc.record({
  suffix: anyText,
  type: anyText.filter((t) => t.length > 0),
  events: fc.array(fc.record({ data: json, note: anyText }), { minLength: 1, maxLength: 3 }),
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** jsonb refuses U+0000, PostgreSQL text refuses unpaired surrogates: in any string or key. */
function unstorable(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000') || LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(unstorable);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => unstorable(k) || unstorable(v));
  return false;
}

describe('hashes written by PostgreSQL are the ledger format', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('es_hash');
    await installEventStoreSchema(db.url);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('verifies in Node for any JSON and any stream id or type, and refuses only what jsonb cannot hold', async () => {
    const store = new PostgresEventStore({ connectionString: db.url });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(requestArb, { minLength: 1, maxLength: 4 }), async (requests) => {
          const category = `hf${uuidv7().slice(-8)}.s`;
          const from = await store.headPosition();
          const appends = requests.map((r, i) => {
            const events: NewEvent[] = r.events.map((e) => ({ ...newEvent(r.type, e.data), metadata: { ...newEvent(r.type, null).metadata, requestId: e.note } }));
            const storable = !unstorable([r.suffix, r.type, events.map((e) => [e.data, e.metadata])]);
            return { streamId: `${category}-${i}${r.suffix}`, events, storable };
          });
          // One group commit when they arrive together: a refused request must not fail the others.
          const results = await Promise.allSettled(appends.map((a) => store.append(a.streamId, a.events, 'no_stream')));
          results.forEach((result, i) => {
            const storable = appends[i]?.storable;
            expect({ i, status: result.status, reason: result.status === 'rejected' ? (result.reason as Error).name : null }).toEqual({
              i, status: storable ? 'fulfilled' : 'rejected', reason: storable ? null : 'InvalidAppendError',
            });
          });
          const page = await store.readAll({ fromPosition: from, categories: [category], raw: true });
          expect(page.events).toHaveLength(appends.filter((a) => a.storable).reduce((n, a) => n + a.events.length, 0));
          expect(verifyChains('sha256', page.events as ChainEvent[])).toMatchObject({ ok: true });
        }),
        { numRuns: 60 },
      );
    } finally {
      await store.close();
    }
  });

  it('chains with SM3 (国密) when the ledger uses it', async () => {
    const store = new PostgresEventStore({ connectionString: db.url, hashAlgorithm: 'sm3' });
    try {
      const s = `sm3.s-${uuidv7()}`;
      await store.append(s, [newEvent('sm3.a.v1', { 事项: '督办' }), newEvent('sm3.b.v1', { n: 2 })], 'no_stream');
      await store.append(s, [newEvent('sm3.c.v1', { n: 3 })], 2);
      const events = (await store.readStream(s, { raw: true })) as ChainEvent[];
      expect(verifyChains('sm3', events)).toMatchObject({ ok: true, checkedEvents: 3 });
      expect(verifyChains('sha256', events).ok).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('plans the append without scanning the whole log, even right after the empty log was analysed', async () => {
    const fresh = await createTestDatabase('es_plan');
    await installEventStoreSchema(fresh.url);
    const writer = createPool(fresh.url, 1, true);
    try {
      await writer.query('ANALYZE events');
      await writer.query(`PREPARE append_plan AS ${APPEND_SQL}`);
      const args = `'sha256', now(), '"x"', ARRAY['s-1'], ARRAY['"s-1"'], ARRAY['s'], ARRAY[-1]::bigint[], ARRAY[1], ARRAY[1],
        ARRAY['${uuidv7()}']::uuid[], ARRAY['t'], ARRAY['"t"'], ARRAY[1], ARRAY['{}'], ARRAY['{}'], ARRAY[now()]`;
      const { rows } = await writer.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE append_plan(${args})`);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('Index');
      expect(plan).not.toMatch(/Seq Scan on events/);
    } finally {
      await writer.end();
      await fresh.drop();
    }
  });
});

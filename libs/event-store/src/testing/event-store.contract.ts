import { randomBytes } from 'node:crypto';
import { verifyChains, type ChainEvent } from '@app/ledger';
import { ManualClock, uuidv7 } from '@app/shared-kernel';
import type { NewEvent, RecordedEvent } from '../envelope';
import { ConcurrencyError, DuplicateEventError, InvalidAppendError } from '../errors';
import type { EventStore } from '../event-store.port';
import { UpcasterRegistry } from '../upcasters';

export interface ContractContext {
  clock: ManualClock;
  upcasters: UpcasterRegistry;
}

export type StoreFactory = (context: ContractContext) => Promise<{ store: EventStore; cleanup(): Promise<void> }>;

export function newEvent(type: string, data: unknown, occurredAt = '2026-11-20T01:00:00.000Z'): NewEvent {
  return {
    eventId: uuidv7(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { personId: 'p-1', name: '张三', unitId: 'u-1', roles: ['office'] },
      correlationId: uuidv7(),
      causationId: null,
      requestId: 'req-1',
      occurredAt,
    },
  };
}

/** A category no other test (or earlier run on a shared server) uses, so log reads can filter on it. */
function freshCategory(): string {
  return `ct${randomBytes(5).toString('hex')}.item`;
}

async function collectUntil(store: EventStore, from: number, categories: string[], count: number, batchSize = 500): Promise<{ events: RecordedEvent[]; batches: number[] }> {
  const events: RecordedEvent[] = [];
  const batches: number[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const sub = store.subscribe({
    fromPosition: from,
    categories,
    batchSize,
    handler: async (batch) => {
      if (batch.length) batches.push(batch.length);
      events.push(...batch);
      if (events.length >= count) resolveDone();
    },
  });
  const timeout = new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`subscription saw ${events.length}/${count}`)), 15000));
  try {
    await Promise.race([done, timeout]);
  } finally {
    await sub.stop();
  }
  return { events, batches };
}

/** The behaviour every adapter must have (DESIGN.md §3 items 1–6). */
export function describeEventStoreContract(name: string, factory: StoreFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    const clock = new ManualClock('2026-11-22T00:00:00.000Z');
    const upcasters = new UpcasterRegistry([{ type: 'contract.renamed.v1', fromVersion: 1, upcast: (d) => ({ fullName: (d as { name: string }).name }) }]);
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await factory({ clock, upcasters }));
    });
    afterAll(async () => {
      await cleanup();
    });

    const stream = (): string => `${freshCategory()}-${uuidv7()}`;

    it('appends several events atomically, numbering versions from 1 and positions upwards', async () => {
      const s = stream();
      const r = await store.append(s, [newEvent('contract.a.v1', { n: 1 }), newEvent('contract.b.v1', { n: 2 })], 'no_stream');
      expect(r.version).toBe(2);
      expect(r.positions).toHaveLength(2);
      expect(r.positions[1]).toBeGreaterThan(r.positions[0] as number);
      const read = await store.readStream(s);
      expect(read.map((e) => [e.streamVersion, e.type, e.data])).toEqual([[1, 'contract.a.v1', { n: 1 }], [2, 'contract.b.v1', { n: 2 }]]);
      expect(read.map((e) => e.position)).toEqual(r.positions);
    });

    it('checks every kind of expected version and reports the actual version', async () => {
      const s = stream();
      await expect(store.append(s, [newEvent('contract.a.v1', {})], 'stream_exists')).rejects.toMatchObject({ name: 'ConcurrencyError', actualVersion: 0 });
      await store.append(s, [newEvent('contract.a.v1', {})], 0);
      await expect(store.append(s, [newEvent('contract.a.v1', {})], 'no_stream')).rejects.toMatchObject({ actualVersion: 1 });
      await expect(store.append(s, [newEvent('contract.a.v1', {})], 3)).rejects.toBeInstanceOf(ConcurrencyError);
      await store.append(s, [newEvent('contract.a.v1', {})], 1);
      await store.append(s, [newEvent('contract.a.v1', {})], 'stream_exists');
      const r = await store.append(s, [newEvent('contract.a.v1', {})], 'any');
      expect(r.version).toBe(4);
      expect((await store.readStream(s)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    });

    it('lets exactly one of 50 concurrent appends at the same expected version win', async () => {
      const s = stream();
      await store.append(s, [newEvent('contract.a.v1', {})], 'no_stream');
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => store.append(s, [newEvent('contract.race.v1', { i })], 1)));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      lost.forEach((l) => expect(l.reason).toMatchObject({ name: 'ConcurrencyError', actualVersion: 2 }));
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('treats a retry with the same event ids as success with the original positions', async () => {
      const s = stream();
      const events = [newEvent('contract.a.v1', { x: 1 }), newEvent('contract.b.v1', { x: 2 })];
      const first = await store.append(s, events, 'no_stream');
      const again = await store.append(s, events, 'no_stream');
      expect(again).toEqual(first);
      const anyRetry = await store.append(s, events, 'any');
      expect(anyRetry.positions).toEqual(first.positions);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('refuses an event id already used with other content', async () => {
      const s = stream();
      const e = newEvent('contract.a.v1', { x: 1 });
      await store.append(s, [e], 'no_stream');
      await expect(store.append(s, [{ ...e, data: { x: 2 } }], 'any')).rejects.toBeInstanceOf(DuplicateEventError);
    });

    it('refuses invalid appends and stores nothing of them', async () => {
      const s = stream();
      await expect(store.append(s, [], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      const bad = { ...newEvent('contract.a.v1', {}), eventId: 'not-a-uuid' };
      await expect(store.append(s, [newEvent('contract.a.v1', {}), bad], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      expect(await store.readStream(s)).toEqual([]);
      expect(await store.streamHead(s)).toBeNull();
    });

    it('keeps the whole envelope: metadata, business time before recording time, schema version', async () => {
      const s = stream();
      clock.set('2026-11-22T02:00:00.000Z');
      const e = newEvent('contract.reported.v1', { summary: '进展顺利', nested: { list: [1, 'two', null] } }, '2026-11-21T09:30:00.000Z');
      await store.append(s, [e], 'no_stream');
      const [read] = await store.readStream(s);
      expect(read).toMatchObject({ eventId: e.eventId, streamId: s, streamVersion: 1, type: e.type, schemaVersion: 1, data: e.data, metadata: e.metadata, recordedAt: '2026-11-22T02:00:00.000Z', prevHash: null });
      expect(read?.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('reads a stream by version range and as recorded at a moment', async () => {
      const s = stream();
      clock.set('2026-11-23T00:00:00.000Z');
      await store.append(s, [newEvent('contract.a.v1', { i: 1 }), newEvent('contract.a.v1', { i: 2 })], 'no_stream');
      clock.set('2026-11-24T00:00:00.000Z');
      await store.append(s, [newEvent('contract.a.v1', { i: 3 })], 2);
      expect((await store.readStream(s, { fromVersion: 2 })).map((e) => e.streamVersion)).toEqual([2, 3]);
      expect((await store.readStream(s, { toVersion: 1 })).map((e) => e.streamVersion)).toEqual([1]);
      expect((await store.readStream(s, { limit: 2 })).map((e) => e.streamVersion)).toEqual([1, 2]);
      expect(await store.readStream(s, { recordedAsOf: new Date('2026-11-23T12:00:00.000Z') })).toHaveLength(2);
      expect(await store.readStream(s, { recordedAsOf: new Date('2026-11-22T12:00:00.000Z') })).toHaveLength(0);
    });

    it('reads events by id in log order, leaving out unknown ids', async () => {
      const a = stream();
      const b = stream();
      const first = newEvent('contract.a.v1', { i: 1 });
      const second = newEvent('contract.a.v1', { i: 2 });
      await store.append(a, [first], 'no_stream');
      await store.append(b, [second], 'no_stream');
      const read = await store.readEvents([second.eventId, first.eventId, '01890000-0000-7000-8000-000000000000', 'not-a-uuid']);
      expect(read.map((e) => [e.eventId, e.streamId])).toEqual([[first.eventId, a], [second.eventId, b]]);
      expect(await store.readEvents([])).toEqual([]);
    });

    it('links each stream into a hash chain that verifies', async () => {
      const s = stream();
      await store.append(s, [newEvent('contract.a.v1', { i: 1 })], 'no_stream');
      await store.append(s, [newEvent('contract.a.v1', { i: 2 }), newEvent('contract.a.v1', { i: 3 })], 1);
      const events = await store.readStream(s, { raw: true });
      expect(events[1]?.prevHash).toBe(events[0]?.hash);
      expect(events[2]?.prevHash).toBe(events[1]?.hash);
      const head = await store.streamHead(s);
      expect(head).toMatchObject({ version: 3, hash: events[2]?.hash, position: events[2]?.position });
    });

    it('reads the global log in order, after a position, with category and type filters', async () => {
      const category = freshCategory();
      const from = await store.headPosition();
      const a = `${category}-a`;
      const b = `${category}-b`;
      await store.append(a, [newEvent('contract.x.v1', { i: 1 })], 'no_stream');
      await store.append(`${freshCategory()}-other`, [newEvent('contract.x.v1', {})], 'no_stream');
      await store.append(b, [newEvent('contract.y.v1', { i: 2 })], 'no_stream');
      await store.append(a, [newEvent('contract.y.v1', { i: 3 })], 1);
      const all = await store.readAll({ fromPosition: from, categories: [category] });
      expect(all.events.map((e) => e.data)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
      const positions = all.events.map((e) => e.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(all.lastPosition).toBeGreaterThanOrEqual(positions[2] as number);
      const ys = await store.readAll({ fromPosition: from, categories: [category], types: ['contract.y.v1'] });
      expect(ys.events.map((e) => e.data)).toEqual([{ i: 2 }, { i: 3 }]);
      const after = await store.readAll({ fromPosition: positions[0], categories: [category], limit: 1 });
      expect(after.events.map((e) => e.data)).toEqual([{ i: 2 }]);
      expect(after.lastPosition).toBe(positions[1]);
      const upTo = await store.readAll({ fromPosition: from, toPosition: positions[1], categories: [category] });
      expect(upTo.events).toHaveLength(2);
      expect(await store.headPosition()).toBeGreaterThanOrEqual(positions[2] as number);
    });

    it('upcasts old schema versions on read but keeps raw events as stored', async () => {
      const s = stream();
      await store.append(s, [newEvent('contract.renamed.v1', { name: '李四' })], 'no_stream');
      const [upcast] = await store.readStream(s);
      expect(upcast).toMatchObject({ schemaVersion: 2, data: { fullName: '李四' } });
      const [raw] = await store.readStream(s, { raw: true });
      expect(raw).toMatchObject({ schemaVersion: 1, data: { name: '李四' } });
    });

    it('subscribes from a checkpoint: catches up, then goes live, in batches', async () => {
      const category = freshCategory();
      const from = await store.headPosition();
      for (let i = 0; i < 5; i += 1) await store.append(`${category}-${i}`, [newEvent('contract.sub.v1', { i })], 'no_stream');
      const seen = collectUntil(store, from, [category], 12, 4);
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 5; i < 12; i += 1) await store.append(`${category}-${i}`, [newEvent('contract.sub.v1', { i })], 'no_stream');
      const { events, batches } = await seen;
      expect(events.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(Math.max(...batches)).toBeLessThanOrEqual(4);
    });

    it('verifies the chains of what it stored', async () => {
      const category = freshCategory();
      const from = await store.headPosition();
      await store.append(`${category}-1`, [newEvent('contract.a.v1', { i: 1 }), newEvent('contract.a.v1', { i: 2 })], 'no_stream');
      await store.append(`${category}-2`, [newEvent('contract.a.v1', { i: 3 })], 'no_stream');
      await store.append(`${category}-1`, [newEvent('contract.a.v1', { i: 4 })], 2);
      const page = await store.readAll({ fromPosition: from, categories: [category], raw: true });
      const result = verifyChains('sha256', page.events as ChainEvent[], { hashPositions: name !== 'eventstoredb' });
      expect(result).toMatchObject({ ok: true, checkedEvents: 4 });
    });
  });
}

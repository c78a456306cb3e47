import { DomainError, ManualClock, type Decider, type DomainEvent } from '@app/shared-kernel';
import { InMemoryEventStore } from './adapters/in-memory/in-memory.event-store';
import { runDecider, StateCache, type CommandContext } from './decider-runner';

// A counter that refuses to go above a limit: enough domain to exercise the pipeline.
type Added = DomainEvent<'test.added.v1', { by: number }>;
interface Add {
  by: number;
  limit: number;
}
const counter: Decider<Add, Added, number> = {
  initialState: 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) => {
    if (command.by === 0) return [];
    if (total + command.by > command.limit) throw new DomainError('rule', 'LIMIT_EXCEEDED', 'too much');
    return [{ type: 'test.added.v1', data: { by: command.by } }];
  },
};

const context: CommandContext = {
  actor: { personId: 'p-1', name: '王芳', unitId: null, roles: ['office'] },
  correlationId: 'c-1',
  causationId: null,
  requestId: 'r-1',
};

describe('runDecider', () => {
  const clock = new ManualClock('2026-11-24T02:00:00.000Z');
  let store: InMemoryEventStore;

  beforeEach(() => {
    store = new InMemoryEventStore({ clock });
  });

  it('appends what the decider decides, with the actor and times in the metadata', async () => {
    const first = await runDecider(store, clock, 'test.counter-1', counter, { by: 2, limit: 10 }, context);
    const second = await runDecider(store, clock, 'test.counter-1', counter, { by: 3, limit: 10 }, { ...context, occurredAt: new Date('2026-11-23T09:00:00.000Z') });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.position).toBeGreaterThan(first.position);
    const events = await store.readStream('test.counter-1');
    expect(events.map((e) => e.data)).toEqual([{ by: 2 }, { by: 3 }]);
    expect(events[1]?.metadata).toEqual({ ...{ actor: context.actor, correlationId: 'c-1', causationId: null, requestId: 'r-1' }, occurredAt: '2026-11-23T09:00:00.000Z' });
    expect(events[1]?.recordedAt).toBe('2026-11-24T02:00:00.000Z');
  });

  it('after a crash, answers a retried Idempotency-Key from the events its first attempt wrote, writing nothing again', async () => {
    const keyed = { ...context, idempotency: { tag: 'k-1', recovering: false } };
    const first = await runDecider(store, clock, 'test.counter-9', counter, { by: 2, limit: 10 }, keyed);
    await runDecider(store, clock, 'test.counter-9', counter, { by: 1, limit: 10 }, context);
    expect((await store.readStream('test.counter-9'))[0]?.metadata.idempotencyKey).toBe('k-1');
    // The first attempt's process died before it answered; the retry finds its event.
    const retried = await runDecider(store, clock, 'test.counter-9', counter, { by: 2, limit: 10 }, { ...keyed, idempotency: { tag: 'k-1', recovering: true } });
    expect(retried).toEqual({ ...first, events: [{ type: 'test.added.v1', data: { by: 2 } }] });
    expect(await store.readStream('test.counter-9')).toHaveLength(2);
    // Died before writing: the retry decides and writes as a first attempt would.
    const fresh = await runDecider(store, clock, 'test.counter-9', counter, { by: 4, limit: 10 }, { ...context, idempotency: { tag: 'k-2', recovering: true } });
    expect(fresh.version).toBe(3);
  });

  it('records nothing when the decider refuses, and lets its error through', async () => {
    await runDecider(store, clock, 'test.counter-2', counter, { by: 8, limit: 10 }, context);
    await expect(runDecider(store, clock, 'test.counter-2', counter, { by: 3, limit: 10 }, context)).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(await store.readStream('test.counter-2')).toHaveLength(1);
  });

  it('writes nothing and reports the current version when nothing is decided', async () => {
    const written = await runDecider(store, clock, 'test.counter-3', counter, { by: 1, limit: 10 }, context);
    const nothing = await runDecider(store, clock, 'test.counter-3', counter, { by: 0, limit: 10 }, context);
    expect(nothing).toEqual({ streamId: 'test.counter-3', version: 1, position: written.position, events: [] });
  });

  it('a dry run decides (and refuses) as usual but records nothing', async () => {
    const dry = await runDecider(store, clock, 'test.counter-6', counter, { by: 1, limit: 10 }, { ...context, dryRun: true });
    expect(dry.events).toEqual([{ type: 'test.added.v1', data: { by: 1 } }]);
    expect(await store.readStream('test.counter-6')).toEqual([]);
    await expect(runDecider(store, clock, 'test.counter-6', counter, { by: 11, limit: 10 }, { ...context, dryRun: true })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });

  it('answers a stale If-Match with 412 and a current one by writing', async () => {
    await runDecider(store, clock, 'test.counter-4', counter, { by: 1, limit: 10 }, context);
    await expect(runDecider(store, clock, 'test.counter-4', counter, { by: 1, limit: 10 }, { ...context, ifMatch: 0 })).rejects.toMatchObject({ kind: 'precondition_failed', code: 'VERSION_MISMATCH' });
    expect((await runDecider(store, clock, 'test.counter-4', counter, { by: 1, limit: 10 }, { ...context, ifMatch: 1 })).version).toBe(2);
  });

  it('decides again on fresh state when a concurrent writer got there first', async () => {
    // Ten commands race; each re-reads after losing, so the limit still holds exactly.
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => runDecider(store, clock, 'test.counter-5', counter, { by: 1, limit: 4 }, context)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as DomainError).code);
    expect(refused.every((code) => code === 'LIMIT_EXCEEDED' || code === 'CONCURRENT_CHANGE')).toBe(true);
    expect((await store.readStream('test.counter-5')).map((e) => e.data)).toEqual(Array.from({ length: 4 }, () => ({ by: 1 })));
  });

  describe('with a state cache per process', () => {
    const add = (cache: StateCache, by: number, limit = 10) => runDecider(store, clock, 'test.cached', counter, { by, limit }, context, cache);

    it('decides on a stale guess only when the append proves it current; otherwise on the stream as stored', async () => {
      const a = new StateCache();
      const b = new StateCache();
      await add(a, 9);
      await add(b, -5);
      // a still guesses 9: 9 + 3 > 10 would be refused, but the stream says 4.
      expect((await add(a, 3)).version).toBe(3);
      // b guesses 4, the stream says 7: 4 + 4 would pass, the truth refuses.
      await expect(add(b, 4)).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      expect((await store.readStream('test.cached')).map((e) => e.data)).toEqual([{ by: 9 }, { by: -5 }, { by: 3 }]);
    });

    it('decides again on the stream as stored when a stale guess repeats an event id another process wrote first', async () => {
      // Once per key, with an event id derived from the key (as schedulers record misses exactly once).
      type Noted = DomainEvent<'test.noted.v1', { key: string }>;
      const once: Decider<{ key: string }, Noted, string[]> = {
        initialState: [],
        evolve: (keys, e) => [...keys, e.data.key],
        decide: (c, keys) => (keys.includes(c.key) ? [] : [{ type: 'test.noted.v1', data: { key: c.key } }]),
      };
      const idOf = (e: DomainEvent): string => `00000000-0000-5000-8000-00000000000${(e.data as { key: string }).key === 'k' ? 1 : 2}`;
      const note = (cache: StateCache, key: string, at: string) => runDecider(store, clock, 'test.once', once, { key }, { ...context, eventIds: idOf, occurredAt: new Date(at) }, cache);
      const a = new StateCache();
      await note(a, 'x', '2026-11-24T01:00:00.000Z');
      await note(new StateCache(), 'k', '2026-11-24T01:01:00.000Z'); // the other process, a minute earlier than a's attempt
      expect(await note(a, 'k', '2026-11-24T01:02:00.000Z')).toMatchObject({ version: 2, events: [] });
      expect((await store.readStream('test.once')).map((e) => e.data)).toEqual([{ key: 'x' }, { key: 'k' }]);
    });

    it('reads the stream when nothing is decided on a guess, and never guesses for If-Match or dry runs', async () => {
      const a = new StateCache();
      const b = new StateCache();
      await add(a, 2);
      await add(b, 1);
      expect(await add(a, 0)).toMatchObject({ version: 2, events: [] });
      await expect(runDecider(store, clock, 'test.cached', counter, { by: 1, limit: 10 }, { ...context, ifMatch: 1 }, a)).rejects.toMatchObject({ code: 'VERSION_MISMATCH' });
      await expect(runDecider(store, clock, 'test.cached', counter, { by: 8, limit: 10 }, { ...context, dryRun: true }, a)).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    });

    it('keeps at most its limit of streams, dropping the least recently written', () => {
      const cache = new StateCache(2);
      cache.set(counter, 's1', { version: 1, position: 1, state: 1 });
      cache.set(counter, 's2', { version: 1, position: 2, state: 1 });
      cache.set(counter, 's1', { version: 2, position: 3, state: 2 });
      cache.set(counter, 's3', { version: 1, position: 4, state: 1 });
      expect([cache.get(counter, 's1'), cache.get(counter, 's2'), cache.get(counter, 's3')].map((f) => f?.version)).toEqual([2, undefined, 1]);
    });
  });
});

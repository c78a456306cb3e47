import { PassThrough } from 'node:stream';
import { UnavailableError, type AllStreamResolvedEvent, type AllStreamSubscription } from '@eventstore/db-client';
import type { RecordedEvent } from '../../envelope';
import type { SubscribeOptions } from '../../event-store.port';
import { EventStoreDbSubscription } from './eventstoredb.subscription';

/** Stands in for the client's subscription: an object-mode stream the test writes resolved events into. */
class FakeSubscription extends PassThrough {
  unsubscribed = false;

  constructor(highWaterMark: number) {
    super({ objectMode: true, highWaterMark });
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
}

function resolved(position: number, type = 'test.happened.v1'): AllStreamResolvedEvent {
  const at = BigInt(position);
  return {
    event: { streamId: 'test.thing-1', id: `id-${position}`, revision: 0n, type, isJson: true, data: {}, metadata: undefined, created: new Date(0), position: { commit: at, prepare: at } },
  };
}

function present(r: AllStreamResolvedEvent): RecordedEvent | null {
  const e = r.event;
  if (!e || e.type.startsWith('$')) return null;
  return { eventId: e.id, streamId: e.streamId, streamVersion: 1, position: Number(e.position.commit), type: e.type, schemaVersion: 1, data: e.data, metadata: { actor: { personId: 'p', name: 'p', unitId: null, roles: [] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: '' }, recordedAt: '', hash: '', prevHash: null };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await tick();
  if (!condition()) throw new Error('condition not reached');
}

function harness(options: Partial<SubscribeOptions> = {}) {
  const opened: { from: number; stream: FakeSubscription }[] = [];
  const batches: number[][] = [];
  const calls: { positions: number[]; lastPosition: number }[] = [];
  let release: () => void = () => undefined;
  let blocking = false;
  const errors: unknown[] = [];
  const subscription = new EventStoreDbSubscription(
    {
      open: (from, highWaterMark) => {
        const stream = new FakeSubscription(highWaterMark);
        opened.push({ from, stream });
        // The fake has the shape the code uses; the client's type also lists listener overloads.
        const typed: AllStreamSubscription = stream;
        return typed;
      },
      present,
      positionOf: (r) => (r.event ? Number(r.event.position.commit) : null),
      retryDelayMs: 1,
    },
    {
      fromPosition: 10,
      batchSize: 3,
      handler: async (events, lastPosition) => {
        calls.push({ positions: events.map((e) => e.position), lastPosition });
        if (events.length) batches.push(events.map((e) => e.position));
        if (blocking) await new Promise<void>((resolve) => (release = resolve));
      },
      onError: (error) => errors.push(error),
      ...options,
    },
  );
  const stream = (i = 0): FakeSubscription => {
    const s = opened[i]?.stream;
    if (!s) throw new Error(`subscription ${i} not opened`);
    return s;
  };
  return { subscription, opened, batches, calls, errors, stream, block: () => (blocking = true), release: () => release() };
}

describe('EventStoreDbSubscription', () => {
  it('hands buffered events over in batches, in order, skipping the checkpoint and what is not ours', async () => {
    const h = harness();
    expect(h.opened[0]?.from).toBe(10);
    for (const p of [10, 11, 12, 13, 14]) h.stream().write(resolved(p));
    h.stream().write(resolved(15, '$statsCollected'));
    h.stream().write(resolved(16));
    await until(() => h.subscription.position === 16);
    expect(h.batches.flat()).toEqual([11, 12, 13, 14, 16]);
    expect(Math.max(...h.batches.map((b) => b.length))).toBeLessThanOrEqual(3);
    await h.subscription.stop();
    expect(h.stream().unsubscribed).toBe(true);
  });

  it('moves the checkpoint past events that are not handed over', async () => {
    const h = harness();
    h.stream().write(resolved(20, '$statsCollected'));
    await until(() => h.subscription.position === 20);
    expect(h.calls).toEqual([{ positions: [], lastPosition: 20 }]);
    await h.subscription.stop();
  });

  it('reads nothing more while the handler is busy, and stop waits for the batch in flight', async () => {
    const h = harness();
    h.block();
    h.stream().write(resolved(11));
    await until(() => h.batches.length === 1);
    for (const p of [12, 13, 14, 15]) h.stream().write(resolved(p));
    await tick();
    expect(h.batches).toEqual([[11]]);
    let stopped = false;
    const stopping = h.subscription.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    h.release();
    await stopping;
    expect(h.subscription.position).toBe(11);
    expect(h.batches).toEqual([[11]]);
  });

  it('reports a failing handler and stops', async () => {
    const failure = new Error('projection broke');
    const h = harness({ handler: () => Promise.reject(failure) });
    h.stream().write(resolved(11));
    await until(() => h.errors.length === 1);
    expect(h.errors).toEqual([failure]);
    expect(h.subscription.position).toBe(10);
    await h.subscription.stop();
    expect(h.opened).toHaveLength(1);
  });

  it('subscribes again from the last handled position when the connection drops', async () => {
    const h = harness();
    h.stream().write(resolved(11));
    await until(() => h.subscription.position === 11);
    h.stream().destroy(new UnavailableError());
    await until(() => h.opened.length === 2);
    expect(h.opened[1]?.from).toBe(11);
    h.stream(1).write(resolved(11));
    h.stream(1).write(resolved(12));
    await until(() => h.subscription.position === 12);
    expect(h.batches.flat()).toEqual([11, 12]);
    expect(h.errors).toEqual([]);
    await h.subscription.stop();
  });
});

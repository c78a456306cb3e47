import { Readable } from 'node:stream';
import {
  BACKWARDS,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendResult,
  type AppendToStreamOptions,
  type EventData,
  type EventType,
  type JSONRecordedEvent,
  type ReadStreamOptions,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { computeEventHash } from '@app/ledger';
import { ManualClock } from '@app/shared-kernel';
import type { EventMetadata, NewEvent } from '../../envelope';
import { ConcurrencyError, DuplicateEventError } from '../../errors';
import { appendEvents, readVersions, type AppendClient, type AppendContext } from './eventstoredb.append';

/**
 * An in-memory stand-in for the two stream calls appends make, following EventStoreDB's
 * documented rules: expected revisions, idempotent retries (same ids after the expected revision
 * succeed without writing, whatever the content), one `$all` position per event. For unit tests.
 */
class FakeEsdbStreams implements AppendClient {
  readonly streams = new Map<string, JSONRecordedEvent[]>();
  private nextPosition = 1_000;
  /** Runs before an append is processed, once; lets a test slip in a competing write. */
  beforeNextAppend: (() => Promise<unknown>) | null = null;

  async appendToStream<K extends EventType = EventType>(streamName: string, events: EventData<K> | EventData<K>[], options: AppendToStreamOptions = {}): Promise<AppendResult> {
    const hook = this.beforeNextAppend;
    this.beforeNextAppend = null;
    await hook?.();
    const batch = Array.isArray(events) ? events : [events];
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length - 1;
    const expected = options.expectedRevision ?? 'any';
    const refuse = (): never => {
      throw new WrongExpectedVersionError(undefined, { streamName, expected, current: current < 0 ? NO_STREAM : BigInt(current) });
    };
    const after = expected === NO_STREAM ? -1 : typeof expected === 'bigint' ? Number(expected) : null;
    if (expected === STREAM_EXISTS && current < 0) refuse();
    if (after !== null && after > current) refuse();
    if (after !== null && after < current) {
      // The server's idempotency check compares ids only.
      const same = batch.every((e, i) => stream[after + 1 + i]?.id === e.id);
      if (!same) refuse();
      return { success: true, nextExpectedRevision: BigInt(after + batch.length) };
    }
    for (const e of batch) {
      const at = BigInt(this.nextPosition);
      this.nextPosition += 100;
      stream.push({
        streamId: streamName, id: e.id, revision: BigInt(stream.length), type: e.type, isJson: true, created: new Date(0),
        data: JSON.parse(JSON.stringify(e.data)), metadata: JSON.parse(JSON.stringify(e.metadata)), position: { commit: at, prepare: at },
      });
    }
    this.streams.set(streamName, stream);
    return { success: true, nextExpectedRevision: BigInt(stream.length - 1) };
  }

  readStream<K extends EventType = EventType>(streamName: string, options: ReadStreamOptions = {}): StreamingRead<ResolvedEvent<K>> {
    const stream = this.streams.get(streamName);
    const count = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    let items: ResolvedEvent[] = [];
    if (stream) {
      const from = options.fromRevision;
      if (options.direction === BACKWARDS) {
        const start = typeof from === 'bigint' ? Number(from) : stream.length - 1;
        items = stream.slice(0, start + 1).reverse().slice(0, count).map((event) => ({ event }));
      } else {
        const start = typeof from === 'bigint' ? Number(from) : 0;
        items = stream.slice(start, start + count).map((event) => ({ event }));
      }
    }
    const readable = stream
      ? Readable.from(items)
      : new Readable({ objectMode: true, read: () => readable.destroy(new StreamNotFoundError(undefined, streamName)) });
    // Test double: the stored events are untyped JSON, whatever event type the caller names.
    return Object.assign(readable, { cancel: async () => undefined }) as unknown as StreamingRead<ResolvedEvent<K>>;
  }
}

const metadata: EventMetadata = {
  actor: { personId: 'p-1', name: 'Li', unitId: null, roles: [] },
  correlationId: 'c-1',
  causationId: null,
  requestId: null,
  occurredAt: '2026-03-01T08:00:00.000Z',
};

let seq = 0;
function newEvent(data: unknown = { n: seq }): NewEvent {
  seq += 1;
  return { eventId: `0195a3b2-0000-7000-8000-${String(seq).padStart(12, '0')}`, type: 'test.thing-happened.v1', schemaVersion: 1, data, metadata };
}

function setup(): { server: FakeEsdbStreams; ctx: AppendContext; clock: ManualClock } {
  const server = new FakeEsdbStreams();
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  return { server, clock, ctx: { client: server, hashAlgorithm: 'sha256', clock } };
}

describe('appendEvents (against an in-memory stand-in for EventStoreDB)', () => {
  it('chains each event to the previous one of its stream, with the hash computed at position null', async () => {
    const { server, ctx } = setup();
    const r1 = await appendEvents(ctx, 's.t-1', [newEvent()], 'no_stream');
    const r2 = await appendEvents(ctx, 's.t-1', [newEvent(), newEvent()], 1);
    expect(r1).toEqual({ streamId: 's.t-1', version: 1, positions: [1000], position: 1000 });
    expect(r2).toEqual({ streamId: 's.t-1', version: 3, positions: [1100, 1200], position: 1200 });
    const [e1, e2, e3] = await readVersions(server, 's.t-1', 1, 3);
    expect([e1?.prevHash, e1?.prevPosition]).toEqual([null, null]);
    expect([e2?.prevHash, e2?.prevPosition]).toEqual([e1?.hash, 1000]);
    // The position of an earlier event of the same write is not known when hashing.
    expect([e3?.prevHash, e3?.prevPosition]).toEqual([e2?.hash, null]);
    for (const e of [e1, e2, e3]) {
      if (!e) throw new Error('missing event');
      expect(computeEventHash('sha256', { ...e, position: null })).toBe(e.hash);
      expect(e.recordedAt).toBe('2026-03-01T09:00:00.000Z');
    }
  });

  it('answers a retry with the original result, for an exact version and for any', async () => {
    const { server, ctx } = setup();
    const events = [newEvent(), newEvent()];
    const first = await appendEvents(ctx, 's.t-1', events, 'no_stream');
    expect(await appendEvents(ctx, 's.t-1', events, 'no_stream')).toEqual(first);
    expect(await appendEvents(ctx, 's.t-1', events, 'any')).toEqual(first);
    await appendEvents(ctx, 's.t-1', [newEvent()], 2);
    expect(await appendEvents(ctx, 's.t-1', events, 0)).toEqual(first);
    expect(server.streams.get('s.t-1')).toHaveLength(3);
  });

  it('refuses an id stored with other content, even where the server would call it idempotent', async () => {
    const { server, ctx } = setup();
    const e = newEvent({ x: 1 });
    await appendEvents(ctx, 's.t-1', [e], 'no_stream');
    await expect(appendEvents(ctx, 's.t-1', [{ ...e, data: { x: 2 } }], 'any')).rejects.toBeInstanceOf(DuplicateEventError);
    await expect(appendEvents(ctx, 's.t-1', [{ ...e, data: { x: 2 } }], 0)).rejects.toBeInstanceOf(DuplicateEventError);
    // A concurrent first attempt lands between our head read and our write: the server accepts ours as a retry.
    const f = newEvent({ y: 1 });
    server.beforeNextAppend = () => appendEvents(ctx, 's.t-1', [{ ...f, data: { y: 0 } }], 1);
    await expect(appendEvents(ctx, 's.t-1', [f], 1)).rejects.toThrow(/other content/);
  });

  it('reports the actual version on a conflict', async () => {
    const { ctx } = setup();
    await expect(appendEvents(ctx, 's.t-1', [newEvent()], 'stream_exists')).rejects.toMatchObject({ name: 'ConcurrencyError', actualVersion: 0 });
    await appendEvents(ctx, 's.t-1', [newEvent()], 0);
    await expect(appendEvents(ctx, 's.t-1', [newEvent()], 'no_stream')).rejects.toMatchObject({ actualVersion: 1 });
    await expect(appendEvents(ctx, 's.t-1', [newEvent()], 3)).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('maps a write that lost a race to ConcurrencyError for an exact version', async () => {
    const { server, ctx } = setup();
    await appendEvents(ctx, 's.t-1', [newEvent()], 0);
    const other = newEvent();
    server.beforeNextAppend = () => appendEvents(ctx, 's.t-1', [other], 1);
    await expect(appendEvents(ctx, 's.t-1', [newEvent()], 1)).rejects.toMatchObject({ name: 'ConcurrencyError', expected: 1, actualVersion: 2 });
  });

  it('re-reads the head and chains again when any lost a race, so the chain never forks', async () => {
    const { server, ctx } = setup();
    await appendEvents(ctx, 's.t-1', [newEvent()], 0);
    server.beforeNextAppend = () => appendEvents(ctx, 's.t-1', [newEvent()], 1);
    const r = await appendEvents(ctx, 's.t-1', [newEvent()], 'any');
    const [, second, third] = await readVersions(server, 's.t-1', 1, 3);
    expect(r.version).toBe(3);
    expect(third?.prevHash).toBe(second?.hash);
    expect(third?.prevPosition).toBe(second?.position);
  });
});

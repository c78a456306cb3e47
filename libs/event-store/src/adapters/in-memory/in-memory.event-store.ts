import { canonicalize, computeEventHash, type HashAlgorithm } from '@app/ledger';
import { type Clock, SystemClock } from '@app/shared-kernel';
import { categoryOf, type NewEvent, type RecordedEvent } from '../../envelope';
import { ConcurrencyError, DuplicateEventError } from '../../errors';
import {
  EventStore, expectationHolds, type AppendResult, type ExpectedVersion, type ReadAllOptions, type ReadAllPage, type ReadStreamOptions,
  type StreamHead, type SubscribeOptions, type Subscription,
} from '../../event-store.port';
import { PollingSubscription } from '../../polling-subscription';
import { UpcasterRegistry } from '../../upcasters';
import { validateAppend } from '../../validate-append';
import { WakeSignal } from '../../wake-signal';

type Stored = RecordedEvent & { prevPosition: number | null };

function contentOf(e: NewEvent): string {
  return canonicalize({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata });
}

/** For unit tests of handlers and projections: same contract, no database. Not for production. */
export class InMemoryEventStore extends EventStore {
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private readonly byId = new Map<string, Stored>();
  private readonly wake = new WakeSignal();
  private readonly subs = new Set<PollingSubscription>();
  private readonly clock: Clock;
  private readonly alg: HashAlgorithm;
  private readonly upcasters: UpcasterRegistry;

  constructor(options: { clock?: Clock; hashAlgorithm?: HashAlgorithm; upcasters?: UpcasterRegistry } = {}) {
    super();
    this.clock = options.clock ?? new SystemClock();
    this.alg = options.hashAlgorithm ?? 'sha256';
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    const stream = this.streams.get(streamId) ?? [];
    const retry = this.settleRetry(streamId, events);
    if (retry) return retry;
    if (!expectationHolds(expected, stream.length)) throw new ConcurrencyError(streamId, expected, stream.length);
    const recordedAt = this.clock.now().toISOString();
    const appended: Stored[] = [];
    let prev = stream[stream.length - 1] ?? null;
    for (const e of events) {
      const position = this.log.length + appended.length + 1;
      const streamVersion = stream.length + appended.length + 1;
      const base = { ...structuredClone(e), streamId, streamVersion, position, recordedAt, prevHash: prev?.hash ?? null, prevPosition: prev?.position ?? null };
      const hash = computeEventHash(this.alg, { ...base });
      prev = { ...base, hash };
      appended.push(prev);
    }
    for (const e of appended) {
      this.log.push(e);
      stream.push(e);
      this.byId.set(e.eventId, e);
    }
    this.streams.set(streamId, stream);
    this.wake.notify();
    const positions = appended.map((e) => e.position);
    return { streamId, version: stream.length, positions, position: positions[positions.length - 1] ?? 0 };
  }

  private settleRetry(streamId: string, events: NewEvent[]): AppendResult | null {
    const found = events.map((e) => this.byId.get(e.eventId));
    if (found.every((f) => f === undefined)) return null;
    const first = found[0];
    found.forEach((f, i) => {
      const e = events[i] as NewEvent;
      if (!f || !first || f.streamId !== streamId || f.streamVersion !== first.streamVersion + i || contentOf(f) !== contentOf(e)) {
        throw new DuplicateEventError(e.eventId, f ? 'stored with other content or at another place' : 'part of the batch was already stored');
      }
    });
    const stored = found as Stored[];
    const last = stored[stored.length - 1] as Stored;
    return { streamId, version: last.streamVersion, positions: stored.map((s) => s.position), position: last.position };
  }

  async readStream(streamId: string, o: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const asOf = o.recordedAsOf?.getTime();
    const events = (this.streams.get(streamId) ?? []).filter(
      (e) => e.streamVersion >= (o.fromVersion ?? 1) && e.streamVersion <= (o.toVersion ?? Infinity) && (asOf === undefined || Date.parse(e.recordedAt) <= asOf),
    );
    return this.out(events.slice(0, o.limit ?? events.length), o.raw);
  }

  async readAll(o: ReadAllOptions = {}): Promise<ReadAllPage> {
    const from = o.fromPosition ?? 0;
    const to = o.toPosition ?? Infinity;
    const limit = o.limit ?? 1000;
    const events: Stored[] = [];
    let last = from;
    for (const e of this.log) {
      if (e.position <= from) continue;
      if (e.position > to || events.length >= limit) break;
      last = e.position;
      if ((o.categories?.length && !o.categories.includes(categoryOf(e.streamId))) || (o.types?.length && !o.types.includes(e.type))) continue;
      events.push(e);
    }
    return { events: this.out(events, o.raw), lastPosition: last };
  }

  async readEvents(eventIds: readonly string[], options: { raw?: boolean } = {}): Promise<RecordedEvent[]> {
    const found = eventIds.map((id) => this.byId.get(id)).filter((e): e is Stored => e !== undefined);
    return this.out([...new Set(found)].sort((a, b) => a.position - b.position), options.raw);
  }

  async streamHead(streamId: string): Promise<StreamHead | null> {
    const last = this.streams.get(streamId)?.at(-1);
    return last ? { streamId, version: last.streamVersion, position: last.position, hash: last.hash } : null;
  }

  async headPosition(): Promise<number> {
    return this.log.at(-1)?.position ?? 0;
  }

  subscribe(options: SubscribeOptions): Subscription {
    const sub = new PollingSubscription((o) => this.readAll(o), this.wake, options, 50);
    this.subs.add(sub);
    return sub;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subs].map((s) => s.stop()));
  }

  private out(events: Stored[], raw = false): RecordedEvent[] {
    const copies = events.map((e) => structuredClone(e));
    return raw || this.upcasters.isEmpty ? copies : copies.map((e) => this.upcasters.apply(e));
  }
}

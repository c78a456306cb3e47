import { BACKWARDS, END, EventStoreDBClient, type AllStreamResolvedEvent } from '@eventstore/db-client';
import type { HashAlgorithm } from '@app/ledger';
import { SystemClock } from '@app/shared-kernel';
import type { NewEvent, RecordedEvent } from '../../envelope';
import {
  EventStore,
  type AppendResult,
  type ExpectedVersion,
  type LogFilter,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type StreamHead,
  type SubscribeOptions,
  type Subscription,
} from '../../event-store.port';
import { UpcasterRegistry } from '../../upcasters';
import { appendEvents, readHead } from './eventstoredb.append';
import { isSystemEvent, matchesFilter, serverFilter } from './eventstoredb.filters';
import { positionToNumber, toReadPosition } from './eventstoredb.mapping';
import { toStoredEvent, type StoredEvent } from './eventstoredb.records';
import { scan, scanStream } from './eventstoredb.scan';
import { EventStoreDbSubscription } from './eventstoredb.subscription';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://admin:changeit@localhost:2113?tls=false`; reading `$all` needs an admin or ops user. */
  connectionString: string;
  hashAlgorithm?: HashAlgorithm;
  clock?: { now(): Date };
  upcasters?: UpcasterRegistry;
  /** Wait before a subscription reconnects after the connection dropped. */
  pollIntervalMs?: number;
}

const DEFAULT_PAGE = 1000;
/** `$all` is read in chunks so that a sparse filter does not hold one huge read open. */
const MIN_CHUNK = 512;

/**
 * The event store port over EventStoreDB/KurrentDB 23+ (DESIGN.md §3 item 9): stream revisions as
 * versions, `$all` commit positions as global positions, the envelope and hash chain in each
 * event's metadata. `$all` is gap-safe by construction (one writer, reads stop at the last commit).
 */
export class EventStoreDbEventStore extends EventStore {
  private readonly client: EventStoreDBClient;
  private readonly hashAlgorithm: HashAlgorithm;
  private readonly clock: { now(): Date };
  private readonly upcasters: UpcasterRegistry;
  private readonly retryDelayMs: number;
  private readonly subscriptions = new Set<Subscription>();

  constructor(options: EventStoreDbEventStoreOptions) {
    super();
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.hashAlgorithm = options.hashAlgorithm ?? 'sha256';
    this.clock = options.clock ?? new SystemClock();
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.retryDelayMs = options.pollIntervalMs ?? 1000;
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    return appendEvents({ client: this.client, hashAlgorithm: this.hashAlgorithm, clock: this.clock }, streamId, events, expected);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const asOf = options.recordedAsOf?.getTime();
    const events: RecordedEvent[] = [];
    if (to < from || limit <= 0) return events;
    // Without an "as of" filter every event read is returned, so the server can stop at the limit.
    const maxCount = Math.min(to - from + 1, asOf === undefined ? limit : Number.MAX_SAFE_INTEGER);
    const read = this.client.readStream(streamId, { fromRevision: BigInt(from - 1), maxCount });
    await scanStream(read, (resolved) => {
      if (!resolved.event) return true;
      const event = toStoredEvent(resolved.event);
      if (asOf === undefined || Date.parse(event.recordedAt) <= asOf) events.push(this.present(event, options.raw));
      return events.length < limit;
    });
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const from = options.fromPosition ?? 0;
    const to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    const limit = options.limit ?? DEFAULT_PAGE;
    const events: RecordedEvent[] = [];
    let last = from;
    let finished = limit <= 0 || to <= from;
    while (!finished) {
      const start = last;
      const chunk = Math.max(limit - events.length + 1, MIN_CHUNK);
      let seen = 0;
      // The client's start position is inclusive: the event at `start` comes first and is skipped.
      await scan(this.client.readAll({ fromPosition: toReadPosition(start), maxCount: chunk }), (resolved) => {
        seen += 1;
        const event = resolved.event;
        if (!event) return true;
        const position = positionToNumber(event.position);
        if (position <= start) return true;
        if (position > to) {
          finished = true;
          return false;
        }
        last = position;
        if (matchesFilter(options, event.streamId, event.type)) events.push(this.present(toStoredEvent(event), options.raw));
        finished = events.length >= limit;
        return !finished;
      });
      // A short chunk is the end of the log; no progress would mean a position the server skips over.
      if (seen < chunk || last === start) finished = true;
    }
    return { events, lastPosition: last };
  }

  /** EventStoreDB has no index by event id: the log is scanned until every id is found. */
  async readEvents(eventIds: readonly string[], options: { raw?: boolean } = {}): Promise<RecordedEvent[]> {
    const wanted = new Set(eventIds);
    const found: RecordedEvent[] = [];
    let from = 0;
    while (wanted.size > 0) {
      const page = await this.readAll({ fromPosition: from, limit: DEFAULT_PAGE, raw: options.raw });
      for (const e of page.events) {
        if (wanted.delete(e.eventId)) found.push(e);
      }
      if (page.lastPosition <= from) break;
      from = page.lastPosition;
    }
    return found;
  }

  async streamHead(streamId: string): Promise<StreamHead | null> {
    const head = await readHead(this.client, streamId);
    return head && { streamId, version: head.streamVersion, position: head.position, hash: head.hash };
  }

  async headPosition(): Promise<number> {
    let head = 0;
    await scan(this.client.readAll({ direction: BACKWARDS, fromPosition: END }), (resolved) => {
      const event = resolved.event;
      if (!event || isSystemEvent(event.streamId, event.type)) return true;
      head = positionToNumber(event.position);
      return false;
    });
    return head;
  }

  subscribe(options: SubscribeOptions): Subscription {
    const filter: LogFilter = { categories: options.categories, types: options.types };
    const subscription = new EventStoreDbSubscription(
      {
        open: (position, highWaterMark) => this.client.subscribeToAll({ fromPosition: toReadPosition(position), filter: serverFilter(filter) }, { highWaterMark }),
        present: (resolved) => this.presentFiltered(resolved, filter),
        positionOf: (resolved) => (resolved.event ? positionToNumber(resolved.event.position) : null),
        retryDelayMs: this.retryDelayMs,
      },
      options,
    );
    this.subscriptions.add(subscription);
    return {
      get position() {
        return subscription.position;
      },
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async close(): Promise<void> {
    const running = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(running.map((s) => s.stop()));
    await this.client.dispose();
  }

  private presentFiltered(resolved: AllStreamResolvedEvent, filter: LogFilter): RecordedEvent | null {
    const event = resolved.event;
    if (!event || !matchesFilter(filter, event.streamId, event.type)) return null;
    return this.present(toStoredEvent(event), false);
  }

  /** Upcasting keeps `prevPosition`: UpcasterRegistry spreads the event. */
  private present(event: StoredEvent, raw: boolean | undefined): RecordedEvent {
    return raw || this.upcasters.isEmpty ? event : this.upcasters.apply(event);
  }
}

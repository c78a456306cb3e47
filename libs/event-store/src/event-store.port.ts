import type { NewEvent, RecordedEvent } from './envelope';

/**
 * `any`: no check. `no_stream`: the stream must not exist. `stream_exists`: it must.
 * A number: the stream's current version must equal it (0 is the same as `no_stream`).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

/** Whether a stream at `actualVersion` (0: no stream) satisfies the expectation. */
export function expectationHolds(expected: ExpectedVersion, actualVersion: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actualVersion === 0;
    case 'stream_exists':
      return actualVersion > 0;
    default:
      return actualVersion === expected;
  }
}

export interface AppendResult {
  streamId: string;
  /** Version of the stream after the append (the last appended event's version). */
  version: number;
  /** Position of each appended event, in order. */
  positions: number[];
  /** Position of the last appended event. */
  position: number;
}

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** "As recorded at time T": only events whose recordedAt ≤ T. */
  recordedAsOf?: Date;
  limit?: number;
  /** Skip upcasting: the events exactly as stored and hashed. */
  raw?: boolean;
}

export interface LogFilter {
  /** Stream categories, e.g. `supervision.task`. */
  categories?: string[];
  /** Event types (wire names). */
  types?: string[];
}

export interface ReadAllOptions extends LogFilter {
  /** Exclusive: events strictly after this position. Default 0 (from the start). */
  fromPosition?: number;
  /** Inclusive upper bound. */
  toPosition?: number;
  /** Page size; default 1000. */
  limit?: number;
  /** Skip upcasting: the events exactly as stored and hashed. */
  raw?: boolean;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  /**
   * How far the gap-safe log has been scanned, matching or not. Continue the next read from here.
   * Never ahead of an event that could still commit (DESIGN.md §3.3).
   */
  lastPosition: number;
  /**
   * True when committed events exist beyond `lastPosition` that are held back because an older
   * transaction is still open; a follower should look again soon rather than wait for a wake-up.
   */
  heldBack?: boolean;
}

export interface StreamHead {
  streamId: string;
  version: number;
  position: number;
  hash: string;
}

export interface SubscribeOptions extends LogFilter {
  /** Exclusive start position (a checkpoint). */
  fromPosition: number;
  /** Largest batch handed to the handler at once (back-pressure: the next read waits for it). */
  batchSize?: number;
  /** Called with each batch in log order; the subscription waits for the promise. */
  handler: (events: RecordedEvent[], lastPosition: number) => Promise<void>;
  /** Called when the handler or a read fails; the subscription stops after it. */
  onError?: (error: unknown) => void;
  /**
   * After a partial page, wait at least this long before reading again, so that appends arriving
   * meanwhile are read and handled together (fewer, larger batches under load). Default 0.
   */
  coalesceMs?: number;
}

export interface Subscription {
  /** Position up to which the handler has been called. */
  readonly position: number;
  /** Stops reading; resolves when the in-flight batch is done. */
  stop(): Promise<void>;
}

/**
 * The event store port (DESIGN.md §3). Abstract class so that it is a Nest DI token.
 * Every adapter passes the shared contract suite in `testing/event-store.contract.ts`.
 */
export abstract class EventStore {
  /** Atomically appends events to one stream. Throws ConcurrencyError or DuplicateEventError. */
  abstract append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;

  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  abstract readAll(options?: ReadAllOptions): Promise<ReadAllPage>;

  /**
   * The stored events with these ids, in log order; unknown ids are left out. Evidence and proofs
   * name events by id, so inspectors' reads start here.
   */
  abstract readEvents(eventIds: readonly string[], options?: { raw?: boolean }): Promise<RecordedEvent[]>;

  abstract streamHead(streamId: string): Promise<StreamHead | null>;

  /** The last position of the gap-safe log (0 when empty). */
  abstract headPosition(): Promise<number>;

  abstract subscribe(options: SubscribeOptions): Subscription;

  abstract close(): Promise<void>;
}

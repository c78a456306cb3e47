import { isDeepStrictEqual } from 'node:util';
import type { EventMetadata, NewEvent } from '../../envelope';
import { DuplicateEventError, InvalidAppendError } from '../../errors';
import type { AppendResult, ExpectedVersion } from '../../event-store.port';
import { isEventMetadata, type StoredEvent } from './eventstoredb.records';

/** A NewEvent as it will be stored: the id lowercased and data and metadata passed through JSON. */
export interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates a batch and normalises it to what a read will give back, so that the hash is computed
 * over exactly the stored values: EventStoreDB returns ids in lower case, and JSON drops
 * `undefined` members and turns dates into strings.
 */
export function prepareBatch(streamId: string, events: NewEvent[], expected: ExpectedVersion): PreparedEvent[] {
  if (streamId === '' || streamId.startsWith('$')) throw new InvalidAppendError(`Stream id ${JSON.stringify(streamId)} is empty or an EventStoreDB system stream`);
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) throw new InvalidAppendError(`Expected version ${expected} is not a version`);
  if (events.length === 0) throw new InvalidAppendError(`Stream ${streamId}: nothing to append`);
  const ids = new Set<string>();
  return events.map((event) => {
    const where = `Stream ${streamId}, event ${event.eventId}`;
    if (!UUID.test(event.eventId)) throw new InvalidAppendError(`${where}: the event id is not a UUID`);
    const eventId = event.eventId.toLowerCase();
    if (ids.has(eventId)) throw new InvalidAppendError(`${where}: the id appears twice in the batch`);
    ids.add(eventId);
    // `$` types are EventStoreDB's own and are skipped by every read of the global log.
    if (event.type === '' || event.type.startsWith('$')) throw new InvalidAppendError(`${where}: type ${JSON.stringify(event.type)} is empty or starts with $`);
    if (!Number.isSafeInteger(event.schemaVersion)) throw new InvalidAppendError(`${where}: schemaVersion is not an integer`);
    const metadata = throughJson(event.metadata, `${where}: metadata`);
    if (!isEventMetadata(metadata)) throw new InvalidAppendError(`${where}: metadata is not an envelope (actor, correlationId, causationId, requestId, occurredAt)`);
    return { eventId, type: event.type, schemaVersion: event.schemaVersion, data: throughJson(event.data, `${where}: data`), metadata };
  });
}

function throughJson(value: unknown, what: string): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidAppendError(`${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text === undefined) throw new InvalidAppendError(`${what} is not JSON`);
  return JSON.parse(text);
}

/** For `any` and `stream_exists` the store picks the revision to chain to, and may retry. */
export function chainsToHead(expected: ExpectedVersion): expected is 'any' | 'stream_exists' {
  return expected === 'any' || expected === 'stream_exists';
}

function sameContent(event: PreparedEvent, stored: StoredEvent): boolean {
  return (
    event.type === stored.type &&
    event.schemaVersion === stored.schemaVersion &&
    isDeepStrictEqual(event.data, stored.data) &&
    isDeepStrictEqual(event.metadata, stored.metadata)
  );
}

/**
 * Compares a batch with the stored events where a retry of it would have put it (`found`, in
 * version order). Returns the original result for a retry, null when none of the batch's ids is
 * there, and refuses ids stored elsewhere, with other content, or with only part of the batch.
 */
export function settleRetry(streamId: string, batch: PreparedEvent[], found: StoredEvent[]): AppendResult | null {
  const ids = new Set(batch.map((e) => e.eventId));
  if (found[0]?.eventId !== batch[0]?.eventId) {
    const clash = found.find((f) => ids.has(f.eventId));
    if (clash) throw new DuplicateEventError(clash.eventId, `stored as version ${clash.streamVersion} of ${streamId}, elsewhere than this append would put it`);
    return null;
  }
  const matched = batch.map((event, i) => {
    const stored = found[i];
    if (stored?.eventId !== event.eventId) throw new DuplicateEventError(found[0]?.eventId ?? event.eventId, `only part of the batch is stored in ${streamId}`);
    if (!sameContent(event, stored)) throw new DuplicateEventError(event.eventId, `stored in ${streamId} with other content`);
    return stored;
  });
  return resultOf(streamId, matched);
}

function resultOf(streamId: string, stored: StoredEvent[]): AppendResult {
  const last = stored[stored.length - 1];
  if (!last) throw new Error('an append result needs at least one event');
  return { streamId, version: last.streamVersion, positions: stored.map((e) => e.position), position: last.position };
}

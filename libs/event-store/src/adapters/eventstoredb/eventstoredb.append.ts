import { BACKWARDS, END, WrongExpectedVersionError, jsonEvent, type AppendExpectedRevision, type EventData, type EventStoreDBClient, type JSONType } from '@eventstore/db-client';
import { computeEventHash, type HashAlgorithm } from '@app/ledger';
import type { NewEvent } from '../../envelope';
import { ConcurrencyError } from '../../errors';
import { expectationHolds, type AppendResult, type ExpectedVersion } from '../../event-store.port';
import { chainsToHead, prepareBatch, settleRetry, type PreparedEvent } from './eventstoredb.batch';
import { revisionAfterVersion, toExpectedRevision, versionOfRevision } from './eventstoredb.mapping';
import { toStoredEvent, toStoredMetadata, type StoredEvent } from './eventstoredb.records';
import { scanStream } from './eventstoredb.scan';

/** The part of the client appends use (narrow, so that tests can stand in for the server). */
export type AppendClient = Pick<EventStoreDBClient, 'readStream' | 'appendToStream'>;

export interface AppendContext {
  client: AppendClient;
  hashAlgorithm: HashAlgorithm;
  clock: { now(): Date };
}

/** How often an `any`/`stream_exists` append re-reads the head after another writer got there first. */
const CHAIN_ATTEMPTS = 5;

/**
 * Appends with the hash chain in each event's metadata. The chain is computed against the head read
 * just before, and the write expects exactly that head's revision, so two writers can never both
 * link to the same predecessor: one of them gets WrongExpectedVersion.
 */
export async function appendEvents(ctx: AppendContext, streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
  const batch = prepareBatch(streamId, events, expected);
  for (let attempt = 1; ; attempt += 1) {
    const head = await readHead(ctx.client, streamId);
    const version = head?.streamVersion ?? 0;
    const retried = await findRetry(ctx.client, streamId, batch, expected, head);
    if (retried) return retried;
    if (!expectationHolds(expected, version)) throw new ConcurrencyError(streamId, expected, version);
    // Equal to the caller's expectation when it is exact; the head we chained to otherwise.
    const revision = chainsToHead(expected) ? revisionAfterVersion(version) : toExpectedRevision(expected);
    const outcome = await write(ctx, streamId, batch, head, revision);
    if ('next' in outcome) return confirm(ctx.client, streamId, batch, outcome.next);
    if (!chainsToHead(expected) || attempt >= CHAIN_ATTEMPTS) throw new ConcurrencyError(streamId, expected, outcome.actualVersion);
  }
}

export async function readHead(client: AppendClient, streamId: string): Promise<StoredEvent | null> {
  let head: StoredEvent | null = null;
  await scanStream(client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }), (resolved) => {
    if (resolved.event) head = toStoredEvent(resolved.event);
    return true;
  });
  return head;
}

/** Events `fromVersion`, `fromVersion + 1`, … of a stream, at most `count`. */
export async function readVersions(client: AppendClient, streamId: string, fromVersion: number, count: number): Promise<StoredEvent[]> {
  const found: StoredEvent[] = [];
  await scanStream(client.readStream(streamId, { fromRevision: BigInt(fromVersion - 1), maxCount: count }), (resolved) => {
    if (resolved.event) found.push(toStoredEvent(resolved.event));
    return true;
  });
  return found;
}

/**
 * A retry of an exact-version append sits right after that version. For `any`/`stream_exists` the
 * place is unknown; the batch is looked for where a retry with nothing appended since would have
 * left it: at the end of the stream.
 */
async function findRetry(client: AppendClient, streamId: string, batch: PreparedEvent[], expected: ExpectedVersion, head: StoredEvent | null): Promise<AppendResult | null> {
  if (!head) return null;
  if (!chainsToHead(expected)) {
    const after = expected === 'no_stream' ? 0 : expected;
    if (head.streamVersion <= after) return null;
    return settleRetry(streamId, batch, await readVersions(client, streamId, after + 1, batch.length));
  }
  if (!batch.some((e) => e.eventId === head.eventId)) return null;
  const from = Math.max(1, head.streamVersion - batch.length + 1);
  return settleRetry(streamId, batch, await readVersions(client, streamId, from, head.streamVersion - from + 1));
}

type WriteOutcome = { next: bigint } | { actualVersion: number };

async function write(ctx: AppendContext, streamId: string, batch: PreparedEvent[], head: StoredEvent | null, expectedRevision: AppendExpectedRevision): Promise<WriteOutcome> {
  const events = chain(ctx.hashAlgorithm, streamId, batch, head, ctx.clock.now().toISOString());
  try {
    const result = await ctx.client.appendToStream(streamId, events, { expectedRevision });
    if (result.success) return { next: result.nextExpectedRevision };
    // `throwOnAppendFailure=false` in the connection string reports a conflict here instead. The
    // revision it carries is unreliable (client 6.2.1's batch append always turns it into 1), so ask.
    const head = await readHead(ctx.client, streamId);
    return { actualVersion: head?.streamVersion ?? 0 };
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) return { actualVersion: versionOfRevision(error.actualVersion) };
    throw error;
  }
}

/**
 * Links each event to its predecessor. Positions are unknown before the write, so every hash is
 * computed with `position: null`, and only the first event of a batch knows its predecessor's
 * position (the head's); later ones record `prevPosition: null`.
 */
function chain(alg: HashAlgorithm, streamId: string, batch: PreparedEvent[], head: StoredEvent | null, recordedAt: string): EventData[] {
  let prevHash = head?.hash ?? null;
  let prevPosition = head?.position ?? null;
  let version = head?.streamVersion ?? 0;
  return batch.map((event) => {
    version += 1;
    const hash = computeEventHash(alg, {
      prevHash, prevPosition, eventId: event.eventId, streamId, streamVersion: version, position: null,
      type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata, recordedAt,
    });
    const metadata = toStoredMetadata({ metadata: event.metadata, schemaVersion: event.schemaVersion, recordedAt, hash, prevHash, prevPosition });
    prevHash = hash;
    prevPosition = null;
    return jsonEvent({ id: event.eventId, type: event.type, data: asJsonData(event.data), metadata });
  });
}

/**
 * The client's type admits objects, arrays and strings, but it serialises any JSON value with
 * JSON.stringify and reads it back with JSON.parse, so numbers, booleans and null round-trip too.
 */
function asJsonData(data: unknown): JSONType {
  return data as JSONType;
}

/**
 * Reads the appended events back for their `$all` positions (the append result carries one
 * position for the whole write). EventStoreDB also answers "success" to a retry whose ids match at
 * the expected revision whatever their content, so the content is compared here.
 */
async function confirm(client: AppendClient, streamId: string, batch: PreparedEvent[], next: bigint): Promise<AppendResult> {
  const firstVersion = Number(next) + 2 - batch.length;
  const result = settleRetry(streamId, batch, await readVersions(client, streamId, firstVersion, batch.length));
  if (!result) throw new Error(`Stream ${streamId}: the appended events are not at versions ${firstVersion}…${Number(next) + 1}`);
  return result;
}

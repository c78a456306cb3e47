import type { Position } from '@eventstore/db-client';
import type { Actor, EventMetadata, RecordedEvent } from '../../envelope';
import { positionToNumber } from './eventstoredb.mapping';

/** Recorded events also carry `prevPosition`: the hash covers it, and verifiers need it. */
export type StoredEvent = RecordedEvent & { prevPosition: number | null };

/**
 * What this adapter keeps in an EventStoreDB event's metadata: the envelope fields that have no
 * place of their own in an ESDB event, and the hash-chain links. A type alias, not an interface,
 * so that it is assignable to the client's JSON metadata type.
 */
export type StoredMetadata = {
  metadata: EventMetadata;
  schemaVersion: number;
  recordedAt: string;
  hash: string;
  prevHash: string | null;
  prevPosition: number | null;
  // Read by EventStoreDB's `$by_correlation_id` system projection and shown in its UI.
  $correlationId: string;
  $causationId?: string;
};

/** The fields of a client RecordedEvent this adapter reads (JSON and binary events both fit). */
export interface EsdbRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** An event in EventStoreDB that this adapter did not write, or that was written differently. */
export class EventStoreDbFormatError extends Error {
  override readonly name = 'EventStoreDbFormatError';

  constructor(
    readonly streamId: string,
    readonly eventId: string,
    problem: string,
  ) {
    super(`EventStoreDB event ${eventId} in ${streamId}: ${problem}`);
  }
}

export function toStoredMetadata(fields: Omit<StoredMetadata, '$correlationId' | '$causationId'>): StoredMetadata {
  const stored: StoredMetadata = { ...fields, $correlationId: fields.metadata.correlationId };
  if (fields.metadata.causationId !== null) stored.$causationId = fields.metadata.causationId;
  return stored;
}

/** A recorded EventStoreDB event as our envelope, exactly as it was appended and hashed. */
export function toStoredEvent(record: EsdbRecord): StoredEvent {
  const fail = (problem: string): never => {
    throw new EventStoreDbFormatError(record.streamId, record.id, problem);
  };
  if (!record.isJson) fail('data is not JSON');
  if (!record.position) return fail('no $all position (EventStoreDB older than 22.6?)');
  const stored = parseStoredMetadata(record.metadata);
  if (typeof stored === 'string') return fail(stored);
  return {
    eventId: record.id,
    streamId: record.streamId,
    streamVersion: Number(record.revision) + 1,
    position: positionToNumber(record.position),
    type: record.type,
    schemaVersion: stored.schemaVersion,
    data: record.data,
    metadata: stored.metadata,
    recordedAt: stored.recordedAt,
    prevPosition: stored.prevPosition,
    prevHash: stored.prevHash,
    hash: stored.hash,
  };
}

type Json = Record<string, unknown>;

/** A plain object, as JSON.parse makes them (the client hands binary metadata over as a Uint8Array). */
function isObject(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isIntOrNull = (v: unknown): v is number | null => v === null || Number.isSafeInteger(v);

function isActor(v: unknown): v is Actor {
  return isObject(v) && isString(v.personId) && isString(v.name) && isStringOrNull(v.unitId) && Array.isArray(v.roles) && v.roles.every(isString);
}

export function isEventMetadata(v: unknown): v is EventMetadata {
  return isObject(v) && isActor(v.actor) && isString(v.correlationId) && isStringOrNull(v.causationId) && isStringOrNull(v.requestId) && isString(v.occurredAt);
}

/** The stored metadata, or what is wrong with it. */
export function parseStoredMetadata(value: unknown): StoredMetadata | string {
  if (!isObject(value)) return 'metadata is not a JSON object';
  const { metadata, schemaVersion, recordedAt, hash, prevHash, prevPosition, $correlationId, $causationId } = value;
  if (!isEventMetadata(metadata)) return 'metadata.metadata is not an envelope (actor, correlationId, causationId, requestId, occurredAt)';
  if (!Number.isSafeInteger(schemaVersion)) return 'schemaVersion is not an integer';
  if (!isString(recordedAt) || !isString(hash) || !isStringOrNull(prevHash) || !isIntOrNull(prevPosition)) {
    return 'recordedAt, hash, prevHash or prevPosition is missing or mistyped';
  }
  const stored: StoredMetadata = {
    metadata,
    schemaVersion: Number(schemaVersion),
    recordedAt,
    hash,
    prevHash,
    prevPosition,
    $correlationId: isString($correlationId) ? $correlationId : metadata.correlationId,
  };
  if (isString($causationId)) stored.$causationId = $causationId;
  return stored;
}

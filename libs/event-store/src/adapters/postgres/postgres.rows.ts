import type { EventMetadata, RecordedEvent } from '../../envelope';

export const EVENT_COLUMNS = `e.position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version,
  e.data, e.metadata, e.recorded_at, e.prev_position, encode(e.prev_hash, 'hex') AS prev_hash, encode(e.hash, 'hex') AS hash`;

export interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: string;
  prev_position: number | null;
  prev_hash: string | null;
  hash: string;
}

/** Recorded events also carry `prevPosition`: the hash covers it, and verifiers need it. */
export type StoredEvent = RecordedEvent & { prevPosition: number | null };

export function toRecordedEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: row.position,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    prevPosition: row.prev_position,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

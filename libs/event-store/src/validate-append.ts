import { isUuid } from '@app/shared-kernel';
import type { NewEvent } from './envelope';
import { InvalidAppendError } from './errors';
import type { ExpectedVersion } from './event-store.port';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_EVENTS = 10_000;

/** Refuses what no adapter could store, before it can disturb a group commit. */
export function validateAppend(streamId: string, events: NewEvent[], expected: ExpectedVersion): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 200 || streamId.startsWith('$')) {
    throw new InvalidAppendError(`invalid stream id '${String(streamId)}'`);
  }
  if (!(expected === 'any' || expected === 'no_stream' || expected === 'stream_exists' || (Number.isSafeInteger(expected) && expected >= 0))) {
    throw new InvalidAppendError(`invalid expected version '${String(expected)}'`);
  }
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_EVENTS) {
    throw new InvalidAppendError(`an append takes 1 to ${MAX_EVENTS} events`);
  }
  const ids = new Set<string>();
  for (const e of events) {
    // Lowercase only: the hash covers the id as text, and PostgreSQL prints uuids in lowercase.
    if (!isUuid(e.eventId) || e.eventId !== e.eventId.toLowerCase() || ids.has(e.eventId)) {
      throw new InvalidAppendError(`invalid or repeated event id '${String(e.eventId)}' (a lowercase UUID)`);
    }
    ids.add(e.eventId);
    if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > 200) throw new InvalidAppendError(`invalid event type '${String(e.type)}'`);
    if (!Number.isSafeInteger(e.schemaVersion) || e.schemaVersion < 1) throw new InvalidAppendError(`invalid schema version for ${e.type}`);
    if (!e.metadata || typeof e.metadata.occurredAt !== 'string' || !ISO_INSTANT.test(e.metadata.occurredAt) || Number.isNaN(Date.parse(e.metadata.occurredAt))) {
      throw new InvalidAppendError(`event ${e.eventId}: metadata.occurredAt must be an ISO 8601 instant`);
    }
    if (!e.metadata.actor || typeof e.metadata.actor.personId !== 'string') throw new InvalidAppendError(`event ${e.eventId}: metadata.actor is required`);
  }
}

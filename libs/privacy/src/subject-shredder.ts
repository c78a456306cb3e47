import { ConcurrencyError, type Actor, type EventStore } from '@app/event-store';
import { DomainError, uuidv7, type Clock } from '@app/shared-kernel';
import { SUBJECT_SHREDDED, subjectStreamId, type SubjectShreddedData } from './subject-shredded.event';
import type { SubjectKeyStore } from './subject-key.store';

export type ShredOutcome =
  | { outcome: 'shredded'; subjectId: string; shreddedAt: string; eventId: string | null; position: number | null }
  | { outcome: 'already_shredded'; subjectId: string; shreddedAt: string };

/**
 * Crypto-shredding a data subject: records `pii.subject-shredded.v1`, then destroys the key.
 * In that order so that no key is ever destroyed without the record of it: if the process dies in
 * between, the key still works and running the shred again finishes it (the event is recorded once,
 * its stream created with `no_stream`).
 */
export class SubjectShredder {
  constructor(
    private readonly keys: SubjectKeyStore,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async shred(subjectId: string, actor: Actor, reason: string | null): Promise<ShredOutcome> {
    const row = (await this.keys.find([subjectId])).get(subjectId);
    if (!row) throw new DomainError('not_found', 'UNKNOWN_SUBJECT', `There is no data subject ${subjectId}.`);
    if (row.wrappedKey === null) return { outcome: 'already_shredded', subjectId, shreddedAt: (row.shreddedAt ?? row.createdAt).toISOString() };
    const recorded = await this.record(subjectId, actor, reason);
    const destroyed = await this.keys.destroy(subjectId);
    // Another shredder got there between our read and our update: theirs is the one on record.
    if (!destroyed) return { outcome: 'already_shredded', subjectId, shreddedAt: ((await this.keys.find([subjectId])).get(subjectId)?.shreddedAt ?? new Date()).toISOString() };
    return { outcome: 'shredded', subjectId, shreddedAt: (destroyed.shreddedAt ?? new Date()).toISOString(), ...recorded };
  }

  /** The event, or nulls when an earlier, interrupted shred of this subject already recorded it. */
  private async record(subjectId: string, actor: Actor, reason: string | null): Promise<{ eventId: string | null; position: number | null }> {
    const now = this.clock.now();
    const eventId = uuidv7(now.getTime());
    const data: SubjectShreddedData = { subjectId, reason, at: now.toISOString() };
    try {
      const result = await this.store.append(
        subjectStreamId(subjectId),
        [{ eventId, type: SUBJECT_SHREDDED, schemaVersion: 1, data, metadata: { actor, correlationId: eventId, causationId: null, requestId: null, occurredAt: now.toISOString() } }],
        'no_stream',
      );
      return { eventId, position: result.position };
    } catch (error) {
      if (error instanceof ConcurrencyError) return { eventId: null, position: null };
      throw error;
    }
  }
}

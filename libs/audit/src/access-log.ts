import { toBeijingIso, uuidv7, type Clock } from '@app/shared-kernel';
import type { Actor, EventStore, RecordedEvent } from '@app/event-store';

/** What an inspector (or admin) looked at: the endpoint's resource and the parameters that shaped it. */
export interface AccessRecord {
  resource: string;
  params: Record<string, string | number | boolean | null>;
}

export interface AccessEntry {
  eventId: string;
  position: number;
  at: string;
  actor: Actor;
  resource: string;
  params: AccessRecord['params'];
}

export const ACCESS_LOG_CATEGORY = 'audit.access';
export const DATA_READ = 'audit.data-read.v1';

/**
 * Every read of audit data is itself an event (DESIGN.md §6), in one stream per Beijing day, so
 * the log of who looked at what is hash-chained like everything else. Appended with `any`: reads
 * never conflict with each other, and the group commit keeps each day's chain linear.
 */
export class AccessLog {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  /** `ids`: the request's, so that the entry leads to the request's log line; fresh ones otherwise. */
  async record(actor: Actor, read: AccessRecord, ids: { requestId: string; correlationId: string } | null = null): Promise<void> {
    const now = this.clock.now();
    const requestId = ids?.requestId ?? uuidv7(now.getTime());
    const correlationId = ids?.correlationId ?? requestId;
    await this.store.append(`${ACCESS_LOG_CATEGORY}-${toBeijingIso(now).slice(0, 10)}`, [
      {
        eventId: uuidv7(now.getTime()),
        type: DATA_READ,
        schemaVersion: 1,
        data: { resource: read.resource, params: read.params },
        metadata: { actor, correlationId, causationId: null, requestId, occurredAt: now.toISOString() },
      },
    ], 'any');
  }

  /** Entries after `afterPosition`, oldest first; `nextCursor` continues from the last one returned. */
  async list(options: { afterPosition?: number; limit: number; personId?: string }): Promise<{ items: AccessEntry[]; nextCursor: number | null }> {
    const items: AccessEntry[] = [];
    const head = await this.store.headPosition();
    let from = options.afterPosition ?? 0;
    while (items.length < options.limit && from < head) {
      const page = await this.store.readAll({ fromPosition: from, toPosition: head, categories: [ACCESS_LOG_CATEGORY], limit: 500 });
      for (const e of page.events) {
        if (items.length >= options.limit) break;
        if (options.personId === undefined || e.metadata.actor.personId === options.personId) items.push(toEntry(e));
      }
      // Continue after the last entry taken, or after the whole scanned page when all were taken.
      const last = items[items.length - 1];
      from = items.length >= options.limit && last ? last.position : page.lastPosition;
      if (page.events.length === 0 && page.lastPosition >= head) break;
      if (page.lastPosition <= (options.afterPosition ?? 0) && page.events.length === 0) break;
    }
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === options.limit && last ? last.position : null };
  }
}

function toEntry(e: RecordedEvent): AccessEntry {
  const data = e.data as { resource: string; params: AccessRecord['params'] };
  return { eventId: e.eventId, position: e.position, at: e.recordedAt, actor: e.metadata.actor, resource: data.resource, params: data.params };
}

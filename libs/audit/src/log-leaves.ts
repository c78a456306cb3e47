import type { EventStore, RecordedEvent } from '@app/event-store';

/** Walks the gap-safe log in pages of raw (as stored and hashed) events. */
export async function forEachLogPage(
  store: EventStore,
  range: { fromPosition: number; toPosition: number },
  visit: (events: RecordedEvent[]) => void | Promise<void>,
): Promise<void> {
  let from = range.fromPosition;
  for (;;) {
    const page = await store.readAll({ fromPosition: from, toPosition: range.toPosition, limit: 5000, raw: true });
    if (page.events.length > 0) await visit(page.events);
    if (page.lastPosition <= from || page.events.length === 0) return;
    from = page.lastPosition;
  }
}

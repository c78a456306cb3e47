import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter } from '@eventstore/db-client';
import { categoryOf } from '../../envelope';
import type { LogFilter } from '../../event-store.port';

/** EventStoreDB's own streams and events (`$stats-…`, `$>` links, `$metadata`, …) are never ours. */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

/** The exact filter, applied to every event on our side; an empty or absent list does not filter. */
export function matchesFilter(filter: LogFilter, streamId: string, type: string): boolean {
  if (isSystemEvent(streamId, type)) return false;
  if (filter.categories?.length && !filter.categories.includes(categoryOf(streamId))) return false;
  if (filter.types?.length && !filter.types.includes(type)) return false;
  return true;
}

/**
 * The server-side part of a subscription filter. The server takes one filter, on stream name or on
 * event type, so categories win (they usually select fewer events) and `matchesFilter` does the
 * rest. Regexes rather than prefixes: the prefix `a.b` would also match category `a.bc` and type
 * `x.v1` would match `x.v10`.
 */
export function serverFilter(filter: LogFilter): Filter {
  if (filter.categories?.length) {
    // A stream belongs to category c when its id is c or starts with `c-` (see categoryOf).
    return streamNameFilter({ regex: `^(?:${filter.categories.map(escapeRegex).join('|')})(?:-|$)` });
  }
  if (filter.types?.length) {
    return eventTypeFilter({ regex: `^(?:${filter.types.map(escapeRegex).join('|')})$` });
  }
  return excludeSystemEvents();
}

/** Escapes regex metacharacters; the result means the same to JavaScript and .NET regexes. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

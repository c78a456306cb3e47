import type { Post, UnitEvent } from './unit.events';

/** One person's term in one post of one unit, with the events that opened and closed it. */
export interface PostTerm {
  unitId: string;
  personId: string;
  name: string;
  post: Post;
  from: string;
  /** null while the term runs. */
  to: string | null;
  assignedEventId: string;
  endedEventId: string | null;
}

/** A unit event as read back from its stream (the id is what evidence points at). */
export type RecordedUnitEvent = UnitEvent & { eventId: string };

/**
 * Every term of a unit's posts from its stream, in the order they began. Responsibility is
 * traced to whoever held the post at the moment that matters, so ended terms are kept.
 */
export function postTerms(events: readonly RecordedUnitEvent[]): PostTerm[] {
  const terms: PostTerm[] = [];
  for (const e of events) {
    if (e.type === 'units.post-assigned.v1') {
      const { unitId, personId, name, post, from } = e.data;
      terms.push({ unitId, personId, name, post, from, to: null, assignedEventId: e.eventId, endedEventId: null });
    } else if (e.type === 'units.post-ended.v1') {
      const open = terms.find((t) => t.to === null && t.personId === e.data.personId && t.post === e.data.post);
      if (open) {
        open.to = e.data.to;
        open.endedEventId = e.eventId;
      }
    }
  }
  return terms.sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
}

/** The terms running at `at`: begun at or before it, not yet ended (an end at `at` has left). */
export function holdersAt(terms: readonly PostTerm[], at: string, post?: Post): PostTerm[] {
  const t = Date.parse(at);
  return terms.filter((term) => (post === undefined || term.post === post) && Date.parse(term.from) <= t && (term.to === null || Date.parse(term.to) > t));
}

import { holdersAt, postTerms, type RecordedUnitEvent } from './post-terms';

const assigned = (eventId: string, personId: string, post: 'primary_leader' | 'handler', from: string): RecordedUnitEvent => ({ eventId, type: 'units.post-assigned.v1', data: { unitId: 'u1', personId, name: personId, post, from } });
const ended = (eventId: string, personId: string, post: 'primary_leader' | 'handler', from: string, to: string): RecordedUnitEvent => ({ eventId, type: 'units.post-ended.v1', data: { unitId: 'u1', personId, post, from, to, reason: 'transferred' } });

describe('post terms', () => {
  const history = [
    assigned('e1', 'wang', 'primary_leader', '2026-01-01T00:00:00Z'),
    assigned('e2', 'li', 'handler', '2026-02-01T00:00:00Z'),
    ended('e3', 'wang', 'primary_leader', '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'),
    assigned('e4', 'zhao', 'primary_leader', '2026-06-01T00:00:00Z'),
  ];

  it('keeps ended terms with the events that opened and closed them', () => {
    const terms = postTerms(history);
    expect(terms.map((t) => [t.personId, t.to, t.assignedEventId, t.endedEventId])).toEqual([
      ['wang', '2026-06-01T00:00:00Z', 'e1', 'e3'],
      ['li', null, 'e2', null],
      ['zhao', null, 'e4', null],
    ]);
  });

  it('names whoever held the post at the moment, not today', () => {
    const terms = postTerms(history);
    expect(holdersAt(terms, '2026-05-31T23:59:59Z', 'primary_leader').map((t) => t.personId)).toEqual(['wang']);
    expect(holdersAt(terms, '2026-06-01T00:00:00Z', 'primary_leader').map((t) => t.personId)).toEqual(['zhao']);
    expect(holdersAt(terms, '2025-12-31T00:00:00Z')).toEqual([]);
    expect(holdersAt(terms, '2026-03-01T00:00:00Z').map((t) => t.personId)).toEqual(['wang', 'li']);
  });
});

import { findingEventId, findingIdFor } from './finding.events';
import { followUpOverdue, type OverdueFollowUp } from './follow-up.rules';

const obligation: OverdueFollowUp = {
  caseId: 'case-1',
  obligationId: 'ob-1',
  kind: 'measure_completed',
  subjects: [{ personId: 'p-zhang', unitId: 'cs', name: '张伟' }, 'p-li'],
  dueAt: '2026-02-01T00:00:00.000Z',
  decisionEventId: 'e-decision',
};

describe('follow_up_overdue', () => {
  it('is found once the deadline has passed, naming the subjects, with the decision as evidence', () => {
    expect(followUpOverdue([obligation], '2026-01-31T23:59:59.000Z')).toEqual([]);
    const [found] = followUpOverdue([obligation], '2026-02-02T00:00:00.000Z');
    expect(found?.data).toMatchObject({ findingId: findingIdFor('follow_up_overdue', 'ob-1', obligation.dueAt), caseId: 'case-1', taskId: null, unitId: 'cs', evidence: ['e-decision'] });
    expect(found?.data.people.map((p) => p.personId)).toEqual(['p-zhang', 'p-li']);
  });
});

describe('finding event ids', () => {
  it('are lowercase UUIDs fixed by the finding id', () => {
    const id = findingIdFor('task_overdue', 't-1', '2026-01-10T00:00:00.000Z');
    expect(findingEventId(id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(findingEventId(id)).toBe(findingEventId(id));
    expect(findingEventId(id)).not.toBe(findingEventId(findingIdFor('task_overdue', 't-1', '2026-01-11T00:00:00.000Z')));
  });
});

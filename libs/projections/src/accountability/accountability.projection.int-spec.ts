import type { CaseEvent } from '@app/accountability';
import type { RecordedEvent } from '@app/event-store';
import { migratedDatabase } from '../testing/migrated-database';
import { accountabilityProjection } from './accountability.projection';
import { GetCaseHandler, OverdueObligationsHandler, OverdueObligationsQuery, GetCaseQuery } from './accountability.queries';

const recorded = (event: CaseEvent, streamVersion: number, position: number): RecordedEvent => ({
  ...event,
  eventId: `00000000-0000-7000-8000-0000000000${String(position).padStart(2, '0')}`,
  schemaVersion: 1,
  metadata: { actor: { personId: 'p-jj', name: '纪检 周', unitId: null, roles: ['inspector'] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: '2026-03-01T02:00:00.000Z' },
  streamId: 'accountability.case-c1',
  streamVersion,
  position,
  recordedAt: '2026-03-01T02:00:00.000Z',
  hash: 'h',
  prevHash: null,
});

const opened = recorded(
  {
    type: 'accountability.case-opened.v1',
    data: {
      caseId: 'c1',
      title: '问责',
      findingIds: ['f1'],
      evidenceEventIds: [],
      taskIds: ['t1'],
      subjects: [
        { personId: 'p-li', unitId: 'chuanshan', liability: 'direct' },
        { personId: null, unitId: 'zhujian', liability: 'leadership' },
      ],
      openedAt: '2026-03-01T02:00:00.000Z',
    },
  },
  1,
  10,
);
const decided = recorded(
  {
    type: 'accountability.decision-recorded.v1',
    data: {
      caseId: 'c1',
      decisionId: 'd1',
      forms: ['reassignment', 'organisation_circular'],
      subjects: ['p-li', 'zhujian'],
      basis: '依据',
      decidedAt: '2026-03-02T02:00:00.000Z',
      obligations: [
        { obligationId: 'd1-measure_completed', kind: 'measure_completed', subjects: ['p-li', 'zhujian'], dueAt: '2026-04-02T02:00:00.000Z' },
        { obligationId: 'd1-self_criticism_filed', kind: 'self_criticism_filed', subjects: ['zhujian'], dueAt: '2026-04-05T02:00:00.000Z' },
      ],
    },
  },
  2,
  11,
);
const followedUp = recorded(
  { type: 'accountability.follow-up-recorded.v1', data: { caseId: 'c1', followUpId: 'u1', kind: 'measure_completed', note: '已调整', obligationId: 'd1-measure_completed', at: '2026-04-10T02:00:00.000Z', late: true } },
  3,
  12,
);

describe('accountability projection and its queries', () => {
  const db = migratedDatabase('proj_accountability');

  it('lists overdue obligations with the decision’s event id and the subjects named, until a follow-up meets them', async () => {
    await accountabilityProjection.apply([opened, decided], db.sql);
    await accountabilityProjection.apply([opened, decided], db.sql);
    const overdue = new OverdueObligationsHandler(db.pool);
    expect(await overdue.execute(new OverdueObligationsQuery(new Date('2026-04-02T02:00:00.000Z')))).toEqual([]);
    expect(await overdue.execute(new OverdueObligationsQuery(new Date('2026-04-06T00:00:00.000Z')))).toEqual([
      { caseId: 'c1', obligationId: 'd1-measure_completed', kind: 'measure_completed', subjects: [{ personId: 'p-li', unitId: 'chuanshan', liability: 'direct' }, { personId: null, unitId: 'zhujian', liability: 'leadership' }], dueAt: '2026-04-02T02:00:00.000Z', decisionId: 'd1', decisionEventId: decided.eventId, taskIds: ['t1'] },
      { caseId: 'c1', obligationId: 'd1-self_criticism_filed', kind: 'self_criticism_filed', subjects: [{ personId: null, unitId: 'zhujian', liability: 'leadership' }], dueAt: '2026-04-05T02:00:00.000Z', decisionId: 'd1', decisionEventId: decided.eventId, taskIds: ['t1'] },
    ]);

    await accountabilityProjection.apply([followedUp], db.sql);
    expect((await overdue.execute(new OverdueObligationsQuery(new Date('2026-04-20T00:00:00.000Z')))).map((o) => o.obligationId)).toEqual(['d1-self_criticism_filed']);
    const view = await new GetCaseHandler(db.pool).execute(new GetCaseQuery('c1', new Date('2026-04-20T00:00:00.000Z')));
    expect(view).toMatchObject({ id: 'c1', version: 3, openedBy: { personId: 'p-jj' }, decisions: [{ decisionId: 'd1', eventId: decided.eventId, decidedAt: '2026-03-02T10:00:00.000+08:00' }] });
    expect(view.obligations.map((o) => [o.obligationId, o.met, o.metAt, o.overdue])).toEqual([
      ['d1-measure_completed', true, '2026-04-10T10:00:00.000+08:00', false],
      ['d1-self_criticism_filed', false, null, true],
    ]);
    const row = (await db.sql.query<{ task_ids: string[]; finding_ids: string[]; version: number }>('SELECT task_ids, finding_ids, version FROM rm_accountability_cases')).rows;
    expect(row).toEqual([{ task_ids: ['t1'], finding_ids: ['f1'], version: 3 }]);
  });
});

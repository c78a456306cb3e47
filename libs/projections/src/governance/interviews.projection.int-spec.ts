import { interviewStreamId, type InterviewEvent } from '@app/governance';
import { OFFICE, recorded, unitUser } from '../testing/governance-events';
import { migratedDatabase } from '../testing/migrated-database';
import { interviewsProjection } from './interviews.projection';
import { GetInterviewHandler, GetInterviewQuery, ListInterviewsHandler, ListInterviewsQuery } from './interviews.queries';

const held = (interviewId: string, unitId: string, recordedAt: string): InterviewEvent => ({
  type: 'governance.interview-recorded.v1',
  data: { interviewId, unitId, personIds: ['p-zhang'], reason: '连续两期排名末位', findingIds: ['f1'], rectificationDueAt: '2026-04-01T09:00:00.000Z', recordedAt },
});
const rectified: InterviewEvent = {
  type: 'governance.rectification-reported.v1',
  data: { interviewId: 'v1', unitId: 'hedong', note: '已整改', reportedAt: '2026-03-20T02:00:00.000Z', rectificationDueAt: '2026-04-01T09:00:00.000Z', late: false },
};

describe('interviews projection and its queries', () => {
  const db = migratedDatabase('proj_interviews');
  const events = [
    recorded(held('v1', 'hedong', '2026-03-01T02:00:00.000Z'), interviewStreamId('v1'), 1, 1),
    recorded(held('v2', 'chuanshan', '2026-03-02T02:00:00.000Z'), interviewStreamId('v2'), 1, 2),
    recorded(rectified, interviewStreamId('v1'), 2, 3),
  ];
  const now = new Date('2026-04-05T00:00:00.000Z');

  it('keeps the rectification once reported, and changes nothing when a batch is replayed', async () => {
    for (let i = 0; i < 2; i += 1) await interviewsProjection.apply(events, db.sql);
    const get = new GetInterviewHandler(db.pool);
    expect(await get.execute(new GetInterviewQuery('v1', OFFICE, now))).toEqual({
      id: 'v1',
      unitId: 'hedong',
      personIds: ['p-zhang'],
      reason: '连续两期排名末位',
      findingIds: ['f1'],
      rectificationDueAt: '2026-04-01T17:00:00.000+08:00',
      recordedAt: '2026-03-01T10:00:00.000+08:00',
      recordedBy: { personId: 'p-wf', name: '联席办 王芳' },
      eventId: events[0]?.eventId,
      rectification: { note: '已整改', reportedAt: '2026-03-20T10:00:00.000+08:00', late: false, reportedBy: { personId: 'p-wf', name: '联席办 王芳' }, eventId: events[2]?.eventId },
      open: false,
      overdue: false,
      version: 2,
    });
    expect(await get.execute(new GetInterviewQuery('v2', OFFICE, now))).toMatchObject({ rectification: null, open: true, overdue: true });
    await expect(get.execute(new GetInterviewQuery('v2', unitUser('hedong'), now))).rejects.toMatchObject({ code: 'NOT_YOUR_UNIT' });
  });

  it('lists newest first, open or rectified, a unit only its own', async () => {
    const handler = new ListInterviewsHandler(db.pool);
    const list = async (filter: Partial<ListInterviewsQuery['filter']>, who = OFFICE) => (await handler.execute(new ListInterviewsQuery({ unitId: null, open: null, limit: 50, cursor: null, ...filter }, who, now))).items.map((r) => r.id);
    expect(await list({})).toEqual(['v2', 'v1']);
    expect(await list({ open: true })).toEqual(['v2']);
    expect(await list({ open: false })).toEqual(['v1']);
    expect(await list({}, unitUser('hedong'))).toEqual(['v1']);
  });
});

import { recommendationStreamId, type RecommendationEvent } from '@app/governance';
import { OFFICE, recorded, unitUser } from '../testing/governance-events';
import { migratedDatabase } from '../testing/migrated-database';
import { recommendationsProjection } from './recommendations.projection';
import { GetRecommendationHandler, GetRecommendationQuery, ListRecommendationsHandler, ListRecommendationsQuery } from './recommendations.queries';

const made = (recommendationId: string, unitId: string, madeAt: string): RecommendationEvent => ({
  type: 'governance.recommendation-made.v1',
  data: { recommendationId, unitId, kind: 'improve_work', text: '改进工作', answerDueAt: '2026-04-01T09:00:00.000Z', madeAt },
});
const answered: RecommendationEvent = {
  type: 'governance.recommendation-answered.v1',
  data: { recommendationId: 'r1', unitId: 'zhujian', text: '已采纳', adopted: true, answeredAt: '2026-04-02T02:00:00.000Z', answerDueAt: '2026-04-01T09:00:00.000Z', late: true },
};

describe('recommendations projection and its queries', () => {
  const db = migratedDatabase('proj_recommendations');
  const events = [
    recorded(made('r1', 'zhujian', '2026-03-01T02:00:00.000Z'), recommendationStreamId('r1'), 1, 1),
    recorded(made('r2', 'zhujian', '2026-03-02T02:00:00.000Z'), recommendationStreamId('r2'), 1, 2),
    recorded(made('r3', 'chuanshan', '2026-03-03T02:00:00.000Z'), recommendationStreamId('r3'), 1, 3),
    recorded(answered, recommendationStreamId('r1'), 2, 4),
  ];
  const now = new Date('2026-04-05T00:00:00.000Z');

  it('keeps the answer (adopted, late) once given, and changes nothing when a batch is replayed', async () => {
    await recommendationsProjection.apply(events.slice(0, 1), db.sql);
    for (let i = 0; i < 2; i += 1) await recommendationsProjection.apply(events, db.sql);
    const r1 = await new GetRecommendationHandler(db.pool).execute(new GetRecommendationQuery('r1', OFFICE, now));
    expect(r1).toEqual({
      id: 'r1',
      unitId: 'zhujian',
      kind: 'improve_work',
      text: '改进工作',
      answerDueAt: '2026-04-01T17:00:00.000+08:00',
      madeAt: '2026-03-01T10:00:00.000+08:00',
      madeBy: { personId: 'p-wf', name: '联席办 王芳' },
      eventId: events[0]?.eventId,
      answer: { text: '已采纳', adopted: true, answeredAt: '2026-04-02T10:00:00.000+08:00', late: true, answeredBy: { personId: 'p-wf', name: '联席办 王芳' }, eventId: events[3]?.eventId },
      open: false,
      overdue: false,
      version: 2,
    });
    const r2 = await new GetRecommendationHandler(db.pool).execute(new GetRecommendationQuery('r2', OFFICE, now));
    expect(r2).toMatchObject({ answer: null, open: true, overdue: true });
  });

  it('lists newest first, open or answered, a unit only its own, and refuses another unit’s', async () => {
    const handler = new ListRecommendationsHandler(db.pool);
    const list = async (filter: Partial<ListRecommendationsQuery['filter']>, who = OFFICE) => (await handler.execute(new ListRecommendationsQuery({ unitId: null, open: null, limit: 50, cursor: null, ...filter }, who, now))).items.map((r) => r.id);
    expect(await list({})).toEqual(['r3', 'r2', 'r1']);
    expect(await list({ open: true })).toEqual(['r3', 'r2']);
    expect(await list({ open: false, unitId: 'zhujian' })).toEqual(['r1']);
    expect(await list({}, unitUser('chuanshan'))).toEqual(['r3']);
    await expect(list({ unitId: 'zhujian' }, unitUser('chuanshan'))).rejects.toMatchObject({ code: 'NOT_YOUR_UNIT' });
    await expect(new GetRecommendationHandler(db.pool).execute(new GetRecommendationQuery('r1', unitUser('chuanshan'), now))).rejects.toMatchObject({ code: 'NOT_YOUR_UNIT', kind: 'forbidden' });
    await expect(new GetRecommendationHandler(db.pool).execute(new GetRecommendationQuery('nope', OFFICE, now))).rejects.toMatchObject({ code: 'RECOMMENDATION_NOT_FOUND', kind: 'not_found' });
  });
});

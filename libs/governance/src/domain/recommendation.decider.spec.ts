import { given } from '@app/testing';
import { recommendationDecider, type RecommendationCommand } from './recommendation.decider';
import { recommendationStreamId, type RecommendationAnswered, type RecommendationEvent, type RecommendationMade } from './recommendation.events';

type Make = Extract<RecommendationCommand, { type: 'MakeRecommendation' }>;
type Answer = Extract<RecommendationCommand, { type: 'AnswerRecommendation' }>;

const DUE = '2026-04-10T09:00:00.000Z';
const make = (overrides: Partial<Make> = {}): Make => ({ type: 'MakeRecommendation', recommendationId: 'r1', unitId: 'zhujian', kind: 'improve_policy', text: '完善烂尾楼处置政策', answerDueAt: DUE, now: '2026-03-10T02:00:00.000Z', ...overrides });
const made: RecommendationMade = { type: 'governance.recommendation-made.v1', data: { recommendationId: 'r1', unitId: 'zhujian', kind: 'improve_policy', text: '完善烂尾楼处置政策', answerDueAt: DUE, madeAt: '2026-03-10T02:00:00.000Z' } };
const answer = (overrides: Partial<Answer> = {}): Answer => ({ type: 'AnswerRecommendation', recommendationId: 'r1', answererUnitId: 'zhujian', text: '已采纳，出台处置办法', adopted: true, now: '2026-04-01T02:00:00.000Z', ...overrides });
const answered = (data: Partial<RecommendationAnswered['data']> = {}): RecommendationAnswered => ({
  type: 'governance.recommendation-answered.v1',
  data: { recommendationId: 'r1', unitId: 'zhujian', text: '已采纳，出台处置办法', adopted: true, answeredAt: '2026-04-01T02:00:00.000Z', answerDueAt: DUE, late: false, ...data },
});
const scenario = (history: RecommendationEvent[]) => given(recommendationDecider, history);

describe('recommendations (三项建议)', () => {
  it('makes a recommendation to a unit with an answer deadline, once, in its own stream', () => {
    expect(recommendationStreamId('r1')).toBe('governance.recommendation-r1');
    scenario([]).when(make()).then([made]);
    scenario([made]).when(make()).refuses('RECOMMENDATION_ALREADY_EXISTS', 'conflict');
  });

  it('refuses an answer deadline that is not in the future', () => {
    scenario([]).when(make({ answerDueAt: '2026-03-10T02:00:00.000Z' })).refuses('ANSWER_DUE_IN_PAST', 'rule');
  });

  it('records the addressed unit’s written answer and whether it adopts the recommendation', () => {
    scenario([made]).when(answer()).then([answered()]);
    scenario([made]).when(answer({ adopted: false, text: '暂不采纳：政策权限在省级' })).then([answered({ adopted: false, text: '暂不采纳：政策权限在省级' })]);
  });

  it('accepts an answer after the deadline, marked late; one exactly at the deadline is on time', () => {
    scenario([made]).when(answer({ now: '2026-04-10T09:00:00.001Z' })).then([answered({ answeredAt: '2026-04-10T09:00:00.001Z', late: true })]);
    scenario([made]).when(answer({ now: DUE })).then([answered({ answeredAt: DUE, late: false })]);
  });

  it('takes one answer, only from the addressed unit, on a recommendation that exists', () => {
    scenario([made, answered()]).when(answer({ adopted: false })).refuses('RECOMMENDATION_ALREADY_ANSWERED', 'conflict');
    scenario([made]).when(answer({ answererUnitId: 'chuanshan' })).refuses('NOT_YOUR_UNIT', 'forbidden');
    scenario([made]).when(answer({ answererUnitId: null })).refuses('NOT_YOUR_UNIT', 'forbidden');
    scenario([]).when(answer()).refuses('RECOMMENDATION_NOT_FOUND', 'not_found');
  });

  it('folds the answer into the state', () => {
    const state = [made, answered({ late: true })].reduce(recommendationDecider.evolve, recommendationDecider.initialState);
    expect(state).toMatchObject({ made: true, unitId: 'zhujian', answer: { adopted: true, late: true, answeredAt: '2026-04-01T02:00:00.000Z' } });
  });
});

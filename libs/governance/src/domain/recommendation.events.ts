import type { DomainEvent } from '@app/shared-kernel';

/** 三项建议 (条例 40): improve work (改进工作), improve policy (完善政策), pursue accountability (追究责任). */
export const RECOMMENDATION_KINDS = ['improve_work', 'improve_policy', 'accountability'] as const;
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

/** The office made a recommendation to a unit, which must answer in writing by `answerDueAt`. */
export type RecommendationMade = DomainEvent<
  'governance.recommendation-made.v1',
  { recommendationId: string; unitId: string; kind: RecommendationKind; text: string; answerDueAt: string; madeAt: string }
>;

/**
 * The unit's written answer, and whether it adopts the recommendation. `late` when answered after
 * `answerDueAt`: a late answer is still recorded, as what happened, and the miss stays visible.
 */
export type RecommendationAnswered = DomainEvent<
  'governance.recommendation-answered.v1',
  { recommendationId: string; unitId: string; text: string; adopted: boolean; answeredAt: string; answerDueAt: string; late: boolean }
>;

export type RecommendationEvent = RecommendationMade | RecommendationAnswered;

export const RECOMMENDATION_EVENT_TYPES: readonly RecommendationEvent['type'][] = ['governance.recommendation-made.v1', 'governance.recommendation-answered.v1'];

/** `governance.recommendation-<id>`: one stream per recommendation and its answer. */
export const recommendationStreamId = (recommendationId: string): string => `governance.recommendation-${recommendationId}`;

import { DomainError, type Decider } from '@app/shared-kernel';
import type { RecommendationEvent, RecommendationKind } from './recommendation.events';

export interface RecommendationAnswer {
  text: string;
  adopted: boolean;
  answeredAt: string;
  late: boolean;
}

export interface RecommendationState {
  made: boolean;
  recommendationId: string;
  unitId: string;
  kind: RecommendationKind | null;
  text: string;
  answerDueAt: string;
  madeAt: string;
  /** One written answer; null until it is given. */
  answer: RecommendationAnswer | null;
}

/** `answererUnitId`: the unit of the unit_lead answering (null for someone without a unit). */
export type RecommendationCommand =
  | { type: 'MakeRecommendation'; recommendationId: string; unitId: string; kind: RecommendationKind; text: string; answerDueAt: string; now: string }
  | { type: 'AnswerRecommendation'; recommendationId: string; answererUnitId: string | null; text: string; adopted: boolean; now: string };

export const initialRecommendationState: RecommendationState = { made: false, recommendationId: '', unitId: '', kind: null, text: '', answerDueAt: '', madeAt: '', answer: null };

function make(state: RecommendationState, command: Extract<RecommendationCommand, { type: 'MakeRecommendation' }>): RecommendationEvent[] {
  if (state.made) throw new DomainError('conflict', 'RECOMMENDATION_ALREADY_EXISTS', `The recommendation ${command.recommendationId} is already on record.`);
  if (Date.parse(command.answerDueAt) <= Date.parse(command.now)) {
    throw new DomainError('rule', 'ANSWER_DUE_IN_PAST', 'The unit needs time to answer: answerDueAt must be later than now.', [{ field: 'answerDueAt', message: 'must be in the future' }]);
  }
  const { recommendationId, unitId, kind, text, answerDueAt, now } = command;
  return [{ type: 'governance.recommendation-made.v1', data: { recommendationId, unitId, kind, text, answerDueAt, madeAt: now } }];
}

function answer(state: RecommendationState, command: Extract<RecommendationCommand, { type: 'AnswerRecommendation' }>): RecommendationEvent[] {
  if (!state.made) throw new DomainError('not_found', 'RECOMMENDATION_NOT_FOUND', `There is no recommendation ${command.recommendationId}.`);
  if (command.answererUnitId !== state.unitId) throw new DomainError('forbidden', 'NOT_YOUR_UNIT', 'Only the unit the recommendation is addressed to answers it.');
  if (state.answer !== null) throw new DomainError('conflict', 'RECOMMENDATION_ALREADY_ANSWERED', `The recommendation was answered on ${state.answer.answeredAt}; it takes one written answer.`);
  const { recommendationId, text, adopted, now } = command;
  return [{ type: 'governance.recommendation-answered.v1', data: { recommendationId, unitId: state.unitId, text, adopted, answeredAt: now, answerDueAt: state.answerDueAt, late: Date.parse(now) > Date.parse(state.answerDueAt) } }];
}

export function evolveRecommendation(state: RecommendationState, event: RecommendationEvent): RecommendationState {
  switch (event.type) {
    case 'governance.recommendation-made.v1':
      return { ...initialRecommendationState, ...event.data, made: true };
    case 'governance.recommendation-answered.v1': {
      const { text, adopted, answeredAt, late } = event.data;
      return { ...state, answer: { text, adopted, answeredAt, late } };
    }
  }
}

/** 三项建议: the office recommends, the addressed unit answers once in writing, late or not (条例 40). */
export const recommendationDecider: Decider<RecommendationCommand, RecommendationEvent, RecommendationState> = {
  initialState: initialRecommendationState,
  evolve: evolveRecommendation,
  decide(command, state) {
    switch (command.type) {
      case 'MakeRecommendation':
        return make(state, command);
      case 'AnswerRecommendation':
        return answer(state, command);
    }
  },
};

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { RecommendationEvent, RecommendationKind } from '../../../domain/recommendation.events';

export interface MakeRecommendationInput {
  recommendationId: string;
  unitId: string;
  kind: RecommendationKind;
  text: string;
  /** ISO 8601 UTC. */
  answerDueAt: string;
}

export class MakeRecommendationCommand extends Command<CommandResult<RecommendationEvent>> {
  constructor(
    readonly input: MakeRecommendationInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

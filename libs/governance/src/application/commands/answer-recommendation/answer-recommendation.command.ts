import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { RecommendationEvent } from '../../../domain/recommendation.events';

export interface AnswerRecommendationInput {
  recommendationId: string;
  text: string;
  adopted: boolean;
}

/** The answering unit is the actor's (context.actor.unitId). */
export class AnswerRecommendationCommand extends Command<CommandResult<RecommendationEvent>> {
  constructor(
    readonly input: AnswerRecommendationInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

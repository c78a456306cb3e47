import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { recommendationDecider } from '../../../domain/recommendation.decider';
import { recommendationStreamId, type RecommendationEvent } from '../../../domain/recommendation.events';
import { AnswerRecommendationCommand } from './answer-recommendation.command';

@CommandHandler(AnswerRecommendationCommand)
export class AnswerRecommendationHandler implements ICommandHandler<AnswerRecommendationCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  /** An answer counts from when it is recorded: that is what tells a late one from one on time. */
  execute({ input, context }: AnswerRecommendationCommand): Promise<CommandResult<RecommendationEvent>> {
    const command = { type: 'AnswerRecommendation' as const, ...input, answererUnitId: context.actor.unitId, now: this.clock.now().toISOString() };
    return this.runner.run(recommendationStreamId(input.recommendationId), recommendationDecider, command, context);
  }
}

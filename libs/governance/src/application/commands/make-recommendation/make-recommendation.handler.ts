import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { recommendationDecider } from '../../../domain/recommendation.decider';
import { recommendationStreamId, type RecommendationEvent } from '../../../domain/recommendation.events';
import { requireMemberUnit } from '../../member-unit';
import { MakeRecommendationCommand } from './make-recommendation.command';

@CommandHandler(MakeRecommendationCommand)
export class MakeRecommendationHandler implements ICommandHandler<MakeRecommendationCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  async execute({ input, context }: MakeRecommendationCommand): Promise<CommandResult<RecommendationEvent>> {
    await requireMemberUnit(this.runner, input.unitId);
    return this.runner.run(recommendationStreamId(input.recommendationId), recommendationDecider, { type: 'MakeRecommendation', ...input, now: this.clock.now().toISOString() }, context);
  }
}

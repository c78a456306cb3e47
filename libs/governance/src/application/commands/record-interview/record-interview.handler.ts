import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { findingStreamId } from '@app/findings';
import { Clock, DomainError } from '@app/shared-kernel';
import { interviewDecider } from '../../../domain/interview.decider';
import { interviewStreamId, type InterviewEvent } from '../../../domain/interview.events';
import { requireMemberUnit } from '../../member-unit';
import { RecordInterviewCommand } from './record-interview.command';

/** The unit and the findings the interview rests on are other aggregates: they must exist, checked here. */
@CommandHandler(RecordInterviewCommand)
export class RecordInterviewHandler implements ICommandHandler<RecordInterviewCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  async execute({ input, context }: RecordInterviewCommand): Promise<CommandResult<InterviewEvent>> {
    await requireMemberUnit(this.runner, input.unitId);
    for (const [i, findingId] of input.findingIds.entries()) {
      if (!(await this.runner.exists(findingStreamId(findingId)))) {
        throw new DomainError('rule', 'UNKNOWN_FINDING', `There is no finding ${findingId}.`, [{ field: `findings.${i}`, message: 'no such finding' }]);
      }
    }
    return this.runner.run(interviewStreamId(input.interviewId), interviewDecider, { type: 'RecordInterview', ...input, now: this.clock.now().toISOString() }, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { caseDecider } from '../../../domain/case.decider';
import { caseStreamId, type CaseEvent } from '../../../domain/case.events';
import { RecordFollowUpCommand } from './record-follow-up.command';

@CommandHandler(RecordFollowUpCommand)
export class RecordFollowUpHandler implements ICommandHandler<RecordFollowUpCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  /** A follow-up counts from when it is recorded: that is what tells a late one from one on time. */
  execute({ input, context }: RecordFollowUpCommand): Promise<CommandResult<CaseEvent>> {
    return this.runner.run(caseStreamId(input.caseId), caseDecider, { type: 'RecordFollowUp', ...input, at: this.clock.now().toISOString() }, context);
  }
}

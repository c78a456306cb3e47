import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { meetingDecider, meetingStreamId } from '../../../domain/meeting.decider';
import type { MeetingEvent } from '../../../domain/meeting.events';
import { RecordDecisionCommand } from './record-decision.command';

@CommandHandler(RecordDecisionCommand)
export class RecordDecisionHandler implements ICommandHandler<RecordDecisionCommand> {
  constructor(private readonly runner: DeciderRunner) {}

  execute({ input, context }: RecordDecisionCommand): Promise<CommandResult<MeetingEvent>> {
    return this.runner.run(meetingStreamId(input.meetingId), meetingDecider, { type: 'RecordDecision', ...input }, context);
  }
}

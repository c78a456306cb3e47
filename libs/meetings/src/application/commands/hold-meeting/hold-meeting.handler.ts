import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { meetingDecider, meetingStreamId } from '../../../domain/meeting.decider';
import type { MeetingEvent } from '../../../domain/meeting.events';
import { HoldMeetingCommand } from './hold-meeting.command';

@CommandHandler(HoldMeetingCommand)
export class HoldMeetingHandler implements ICommandHandler<HoldMeetingCommand> {
  constructor(private readonly runner: DeciderRunner) {}

  execute({ input, context }: HoldMeetingCommand): Promise<CommandResult<MeetingEvent>> {
    return this.runner.run(meetingStreamId(input.meetingId), meetingDecider, { type: 'HoldMeeting', ...input }, context);
  }
}

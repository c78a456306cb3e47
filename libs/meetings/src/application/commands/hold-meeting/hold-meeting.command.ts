import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { Attendee, MeetingEvent, MeetingKind } from '../../../domain/meeting.events';

export interface HoldMeetingInput {
  meetingId: string;
  title: string;
  kind: MeetingKind;
  convenorId: string;
  convenorName: string;
  /** ISO 8601 UTC. */
  heldAt: string;
  attendees: Attendee[];
}

export class HoldMeetingCommand extends Command<CommandResult<MeetingEvent>> {
  constructor(
    readonly input: HoldMeetingInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

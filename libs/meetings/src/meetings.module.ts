import { Module } from '@nestjs/common';
import { HoldMeetingHandler } from './application/commands/hold-meeting/hold-meeting.handler';
import { RecordDecisionHandler } from './application/commands/record-decision/record-decision.handler';

/** The meetings context's use cases; the api composes it with CqrsModule.forRoot(). */
@Module({ providers: [HoldMeetingHandler, RecordDecisionHandler] })
export class MeetingsModule {}

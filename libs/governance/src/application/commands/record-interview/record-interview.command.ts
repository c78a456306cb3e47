import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { InterviewEvent } from '../../../domain/interview.events';

export interface RecordInterviewInput {
  interviewId: string;
  unitId: string;
  personIds: string[];
  reason: string;
  /** Ids of recorded findings (may be none). */
  findingIds: string[];
  /** ISO 8601 UTC. */
  rectificationDueAt: string;
}

export class RecordInterviewCommand extends Command<CommandResult<InterviewEvent>> {
  constructor(
    readonly input: RecordInterviewInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

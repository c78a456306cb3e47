import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { InterviewEvent } from '../../../domain/interview.events';

export interface ReportRectificationInput {
  interviewId: string;
  note: string;
}

/** The reporting unit is the actor's (context.actor.unitId). */
export class ReportRectificationCommand extends Command<CommandResult<InterviewEvent>> {
  constructor(
    readonly input: ReportRectificationInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

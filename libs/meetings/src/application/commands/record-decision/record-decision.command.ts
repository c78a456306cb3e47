import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { Dissent, MeetingEvent } from '../../../domain/meeting.events';

export interface RecordDecisionInput {
  meetingId: string;
  /** Chosen by the caller, like the task ids, so that the decider stays free of randomness. */
  decisionId: string;
  text: string;
  deciders: string[];
  participants: string[];
  dissents: Dissent[];
  /** The tasks the decision assigns (each becomes a 督办 task of its own). */
  taskIds: string[];
}

export class RecordDecisionCommand extends Command<CommandResult<MeetingEvent>> {
  constructor(
    readonly input: RecordDecisionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { CaseEvent, FollowUpKind } from '../../../domain/case.events';

export interface RecordFollowUpInput {
  caseId: string;
  followUpId: string;
  kind: FollowUpKind;
  note: string;
  /** The obligation it meets; null: the open one of its kind due first. */
  obligationId: string | null;
}

export class RecordFollowUpCommand extends Command<CommandResult<CaseEvent>> {
  constructor(
    readonly input: RecordFollowUpInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { CaseEvent, CaseSubject } from '../../../domain/case.events';

export interface OpenCaseInput {
  caseId: string;
  title: string;
  findingIds: string[];
  evidenceEventIds: string[];
  subjects: CaseSubject[];
}

/** The task ids are not input: the handler finds them from the findings and evidence. */
export class OpenCaseCommand extends Command<CommandResult<CaseEvent>> {
  constructor(
    readonly input: OpenCaseInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { CaseEvent, DecisionForm } from '../../../domain/case.events';

export interface RecordCaseDecisionInput {
  caseId: string;
  /** Chosen by the caller, so that the decider stays free of randomness. */
  decisionId: string;
  forms: DecisionForm[];
  /** Person or unit ids of case subjects. */
  subjects: string[];
  basis: string;
  /** ISO 8601 UTC; null: now. */
  decidedAt: string | null;
}

export class RecordCaseDecisionCommand extends Command<CommandResult<CaseEvent>> {
  constructor(
    readonly input: RecordCaseDecisionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

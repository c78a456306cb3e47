import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { caseDecider } from '../../../domain/case.decider';
import { caseStreamId, type CaseEvent } from '../../../domain/case.events';
import { RecordCaseDecisionCommand } from './record-case-decision.command';

@CommandHandler(RecordCaseDecisionCommand)
export class RecordCaseDecisionHandler implements ICommandHandler<RecordCaseDecisionCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  execute({ input, context }: RecordCaseDecisionCommand): Promise<CommandResult<CaseEvent>> {
    const now = this.clock.now().toISOString();
    const decidedAt = input.decidedAt ?? now;
    // A decision taken at a meeting and entered later happened when it was taken: that is its business time.
    return this.runner.run(caseStreamId(input.caseId), caseDecider, { type: 'RecordDecision', ...input, decidedAt, now }, { ...context, occurredAt: new Date(decidedAt) });
  }
}

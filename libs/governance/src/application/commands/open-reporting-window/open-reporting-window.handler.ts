import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { Clock, DomainError } from '@app/shared-kernel';
import { unitStreamId } from '@app/units';
import { reportingWindowDecider } from '../../../domain/reporting-window.decider';
import { reportingWindowStreamId, type ReportingWindowEvent } from '../../../domain/reporting-window.events';
import { OpenReportingWindowCommand } from './open-reporting-window.command';

@CommandHandler(OpenReportingWindowCommand)
export class OpenReportingWindowHandler implements ICommandHandler<OpenReportingWindowCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
  ) {}

  async execute({ input, context }: OpenReportingWindowCommand): Promise<CommandResult<ReportingWindowEvent>> {
    // The listed units are other aggregates, so their existence is checked here and not in the decider.
    for (const [i, unitId] of input.unitIds.entries()) {
      if (!(await this.runner.exists(unitStreamId(unitId)))) {
        throw new DomainError('rule', 'UNKNOWN_UNIT', `There is no member unit ${unitId}.`, [{ field: `unitIds.${i}`, message: 'no such unit' }]);
      }
    }
    const now = this.clock.now().toISOString();
    return this.runner.run(reportingWindowStreamId(input.windowId), reportingWindowDecider, { type: 'OpenReportingWindow', ...input, now }, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, DuplicateEventError, type CommandResult } from '@app/event-store';
import { Clock, DomainError, uuidv7 } from '@app/shared-kernel';
import { controlTargetDecider } from '../../../domain/control-target.decider';
import { controlTargetStreamId, type ControlTargetEvent } from '../../../domain/control-target.events';
import { beijingYear, incidentEventId } from '../../../domain/incident.events';
import { GovernancePolicy } from '../../governance-policy';
import { requireMemberUnit } from '../../member-unit';
import { RecordIncidentCommand } from './record-incident.command';

/**
 * Records the incident in the stream of its unit's target for its kind and the year it occurred in,
 * together with any warning it raises: one append, so it is never recorded without being counted.
 */
@CommandHandler(RecordIncidentCommand)
export class RecordIncidentHandler implements ICommandHandler<RecordIncidentCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
    private readonly policy: GovernancePolicy,
  ) {}

  async execute({ input, context }: RecordIncidentCommand): Promise<CommandResult<ControlTargetEvent>> {
    await requireMemberUnit(this.runner, input.unitId);
    const now = this.clock.now();
    const reportedAt = input.reportedAt ?? now.toISOString();
    const eventId = incidentEventId(input.incidentId);
    const streamId = controlTargetStreamId(input.unitId, input.kind, beijingYear(input.occurredAt));
    const command = { type: 'RecordIncident' as const, ...input, reportedAt, now: now.toISOString(), eventId, thresholds: this.policy.controlTargetWarnings };
    try {
      // Business time is when the incident was reported (perhaps by phone, entered later).
      return await this.runner.run(streamId, controlTargetDecider, command, {
        ...context,
        occurredAt: new Date(reportedAt),
        eventIds: (event) => (event.type === 'governance.incident-recorded.v1' ? eventId : uuidv7(now.getTime())),
      });
    } catch (error) {
      // The id is on record already: in another target's stream, or in this one by a request that got there first.
      if (error instanceof DuplicateEventError) throw new DomainError('conflict', 'INCIDENT_ALREADY_RECORDED', `The incident ${input.incidentId} is already on record.`);
      throw error;
    }
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, type CommandResult } from '@app/event-store';
import { Clock, uuidv7 } from '@app/shared-kernel';
import { controlTargetDecider } from '../../../domain/control-target.decider';
import { controlTargetStreamId, type ControlTargetEvent } from '../../../domain/control-target.events';
import { GovernancePolicy } from '../../governance-policy';
import { requireMemberUnit } from '../../member-unit';
import { SetControlTargetCommand } from './set-control-target.command';

/** Sets or changes a target; a limit set below what is already used raises its warnings at once. */
@CommandHandler(SetControlTargetCommand)
export class SetControlTargetHandler implements ICommandHandler<SetControlTargetCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly clock: Clock,
    private readonly policy: GovernancePolicy,
  ) {}

  async execute({ input, context }: SetControlTargetCommand): Promise<CommandResult<ControlTargetEvent>> {
    await requireMemberUnit(this.runner, input.unitId);
    const now = this.clock.now();
    // Chosen before deciding, so that a warning the new limit raises can name the event that set it.
    const eventId = uuidv7(now.getTime());
    const command = { type: 'SetControlTarget' as const, ...input, eventId, thresholds: this.policy.controlTargetWarnings, now: now.toISOString() };
    return this.runner.run(controlTargetStreamId(input.unitId, input.metric, input.year), controlTargetDecider, command, {
      ...context,
      eventIds: (event) => (event.type === 'governance.control-target-set.v1' ? eventId : uuidv7(now.getTime())),
    });
  }
}

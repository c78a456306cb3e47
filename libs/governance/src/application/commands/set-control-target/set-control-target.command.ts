import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { ControlTargetEvent } from '../../../domain/control-target.events';
import type { IncidentKind } from '../../../domain/incident.events';

export interface SetControlTargetInput {
  unitId: string;
  metric: IncidentKind;
  /** Beijing calendar year. */
  year: number;
  /** Persons (人次) allowed in the year. */
  limit: number;
}

export class SetControlTargetCommand extends Command<CommandResult<ControlTargetEvent>> {
  constructor(
    readonly input: SetControlTargetInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

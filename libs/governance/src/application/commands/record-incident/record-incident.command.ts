import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { ControlTargetEvent } from '../../../domain/control-target.events';
import type { IncidentKind } from '../../../domain/incident.events';

export interface RecordIncidentInput {
  incidentId: string;
  unitId: string;
  kind: IncidentKind;
  persons: number;
  /** ISO 8601 UTC. */
  occurredAt: string;
  /** ISO 8601 UTC; null: now. */
  reportedAt: string | null;
  summary: string;
}

export class RecordIncidentCommand extends Command<CommandResult<ControlTargetEvent>> {
  constructor(
    readonly input: RecordIncidentInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

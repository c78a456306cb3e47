import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { UnitEvent, UnitKind } from '../../../domain/unit.events';

export interface RegisterUnitInput {
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
}

export class RegisterUnitCommand extends Command<CommandResult<UnitEvent>> {
  constructor(
    readonly input: RegisterUnitInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

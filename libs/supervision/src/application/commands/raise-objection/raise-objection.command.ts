import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type RaiseObjectionInput = { reason: string };

export class RaiseObjectionCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: RaiseObjectionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export type EscalateTaskInput = { level: 'blue' | 'yellow' | 'red' | 'listed'; reason: string };

export class EscalateTaskCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: EscalateTaskInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';

export interface ReportProgressInput {
  summary: string;
  percent: number | null;
  /** Business time; null means now. */
  occurredAt: string | null;
}

export class ReportProgressCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: ReportProgressInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { PersonRef, TaskEvent } from '../../../domain/task.events';

export type ChangeCaseLeaderInput = { caseLeader: PersonRef; reason: string };

export class ChangeCaseLeaderCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: ChangeCaseLeaderInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

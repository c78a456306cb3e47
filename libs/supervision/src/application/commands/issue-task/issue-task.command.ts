import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@app/event-store';
import type { PersonRef, SourceKind, TaskEvent } from '../../../domain/task.events';

/** API.md's TaskSpec, ids and times already checked for form. */
export interface IssueTaskInput {
  title: string;
  description: string;
  source: { kind: SourceKind; ref: string | null };
  leadUnitId: string;
  coUnitIds: string[];
  dueAt: string;
  /** Default: the policy's working days from now (1), never later than the task deadline. */
  signForDueAt: string | null;
  reportEveryDays: number | null;
  caseLeader: PersonRef | null;
  plan: string | null;
}

export class IssueTaskCommand extends Command<CommandResult<TaskEvent>> {
  constructor(
    readonly taskId: string,
    readonly input: IssueTaskInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@app/event-store';
import type { TaskEvent } from '../../../domain/task.events';
import { TaskCommandRunner } from '../../task-command-runner';
import { SendReminderCommand } from './send-reminder.command';

@CommandHandler(SendReminderCommand)
export class SendReminderHandler implements ICommandHandler<SendReminderCommand> {
  constructor(private readonly tasks: TaskCommandRunner) {}

  execute({ taskId, input, context }: SendReminderCommand): Promise<CommandResult<TaskEvent>> {
    return this.tasks.run(taskId, { type: 'SendReminder', ...input }, context);
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { Clock } from '@app/shared-kernel';
import { DeciderRunner } from '@app/event-store';
import { CancelTaskHandler } from './application/commands/cancel-task/cancel-task.handler';
import { CheckTaskDeadlinesHandler } from './application/commands/check-task-deadlines/check-task-deadlines.handler';
import { DecideExtensionHandler } from './application/commands/decide-extension/decide-extension.handler';
import { DecideObjectionHandler } from './application/commands/decide-objection/decide-objection.handler';
import { EscalateTaskHandler } from './application/commands/escalate-task/escalate-task.handler';
import { EvaluateTaskHandler } from './application/commands/evaluate-task/evaluate-task.handler';
import { IssueTaskHandler } from './application/commands/issue-task/issue-task.handler';
import { RaiseObjectionHandler } from './application/commands/raise-objection/raise-objection.handler';
import { ReopenTaskHandler } from './application/commands/reopen-task/reopen-task.handler';
import { ReportCompletionHandler } from './application/commands/report-completion/report-completion.handler';
import { ReportProgressHandler } from './application/commands/report-progress/report-progress.handler';
import { RequestExtensionHandler } from './application/commands/request-extension/request-extension.handler';
import { ReviewCompletionHandler } from './application/commands/review-completion/review-completion.handler';
import { SendReminderHandler } from './application/commands/send-reminder/send-reminder.handler';
import { ChangeCaseLeaderHandler } from './application/commands/change-case-leader/change-case-leader.handler';
import { SignForTaskHandler } from './application/commands/sign-for-task/sign-for-task.handler';
import { SignOffTaskHandler } from './application/commands/sign-off-task/sign-off-task.handler';
import { SupervisionPolicy } from './application/supervision-policy';
import { TaskCommandRunner } from './application/task-command-runner';

const HANDLERS = [CancelTaskHandler, ChangeCaseLeaderHandler, CheckTaskDeadlinesHandler, DecideExtensionHandler, DecideObjectionHandler, EscalateTaskHandler, EvaluateTaskHandler, IssueTaskHandler, RaiseObjectionHandler, ReopenTaskHandler, ReportCompletionHandler, ReportProgressHandler, RequestExtensionHandler, ReviewCompletionHandler, SendReminderHandler, SignForTaskHandler, SignOffTaskHandler];

/** The 督办/交办 use cases; the api composes it with CqrsModule.forRoot() and gives it the policy. */
@Module({})
export class SupervisionModule {
  static forRoot(policy: SupervisionPolicy): DynamicModule {
    return {
      module: SupervisionModule,
      providers: [
        { provide: SupervisionPolicy, useValue: policy },
        { provide: TaskCommandRunner, inject: [DeciderRunner, Clock], useFactory: (runner: DeciderRunner, clock: Clock) => new TaskCommandRunner(runner, clock) },
        ...HANDLERS,
      ],
      exports: [SupervisionPolicy],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { DetectGovernanceFindingsHandler } from './application/commands/detect-governance-findings/detect-governance-findings.handler';
import { DetectTaskFindingsHandler } from './application/commands/detect-task-findings/detect-task-findings.handler';
import { FindingsPolicy } from './application/findings-policy';

/** The findings detector's use cases; the api composes it with CqrsModule.forRoot() and gives it the policy. */
@Module({})
export class FindingsModule {
  static forRoot(policy: FindingsPolicy = new FindingsPolicy()): DynamicModule {
    return { module: FindingsModule, providers: [{ provide: FindingsPolicy, useValue: policy }, DetectTaskFindingsHandler, DetectGovernanceFindingsHandler], exports: [FindingsPolicy] };
  }
}

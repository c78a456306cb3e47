import { Module } from '@nestjs/common';
import { OpenCaseHandler } from './application/commands/open-case/open-case.handler';
import { RecordCaseDecisionHandler } from './application/commands/record-case-decision/record-case-decision.handler';
import { RecordFollowUpHandler } from './application/commands/record-follow-up/record-follow-up.handler';

/** The accountability (问责) context's use cases; the api composes it with CqrsModule.forRoot(). */
@Module({ providers: [OpenCaseHandler, RecordCaseDecisionHandler, RecordFollowUpHandler] })
export class AccountabilityModule {}

import { Module, type DynamicModule } from '@nestjs/common';
import { FileDailyReportHandler } from './application/commands/file-daily-report/file-daily-report.handler';
import { OpenReportingWindowHandler } from './application/commands/open-reporting-window/open-reporting-window.handler';
import { RecordMissedDailyReportsHandler } from './application/commands/record-missed-daily-reports/record-missed-daily-reports.handler';
import { AnswerRecommendationHandler } from './application/commands/answer-recommendation/answer-recommendation.handler';
import { MakeRecommendationHandler } from './application/commands/make-recommendation/make-recommendation.handler';
import { RecordIncidentHandler } from './application/commands/record-incident/record-incident.handler';
import { RecordInterviewHandler } from './application/commands/record-interview/record-interview.handler';
import { ReportRectificationHandler } from './application/commands/report-rectification/report-rectification.handler';
import { SetControlTargetHandler } from './application/commands/set-control-target/set-control-target.handler';
import { GovernancePolicy } from './application/governance-policy';
import { IssueBulletinHandler } from './application/commands/issue-bulletin/issue-bulletin.handler';

/**
 * The joint meeting's standing mechanisms (DOMAIN.md §7): reporting windows and daily reports,
 * incidents and control targets, recommendations and interviews, monthly bulletins. The api
 * composes it with CqrsModule.forRoot().
 */
@Module({ providers: [OpenReportingWindowHandler, FileDailyReportHandler, RecordMissedDailyReportsHandler, RecordIncidentHandler, SetControlTargetHandler, MakeRecommendationHandler, AnswerRecommendationHandler, RecordInterviewHandler, ReportRectificationHandler, IssueBulletinHandler] })
export class GovernanceModule {
  /**
   * With the configured policy (CONTROL_TARGET_WARNINGS, BULLETIN_WEIGHTS): the api composes it this way,
   * and provides the bulletin's ports (DocumentSealer, BulletinSources) from its global module.
   */
  static forRoot(policy: GovernancePolicy = new GovernancePolicy()): DynamicModule {
    return { module: GovernanceModule, providers: [{ provide: GovernancePolicy, useValue: policy }], exports: [GovernancePolicy] };
  }
}

import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { EventStore } from '@app/event-store';
import { accountabilityProjection } from './accountability/accountability.projection';
import { GetCaseHandler, ListCasesHandler, OverdueObligationsHandler } from './accountability/accountability.queries';
import { meetingsProjection } from './meetings/meetings.projection';
import { GetMeetingHandler } from './meetings/meetings.queries';
import { READ_MODELS } from './read-models';
import { ProjectionRunner } from './runner/projection-runner';
import { OfficeBoardHandler, UnitBoardHandler } from './tasks/boards.queries';
import { tasksProjection } from './tasks/tasks.projection';
import { DueTaskChecksHandler, GetTaskHandler, ListTasksHandler } from './tasks/tasks.queries';
import { unitsProjection } from './units/units.projection';
import { FindingsDetectorCursor } from './findings/detector-cursor';
import { findingsProjection } from './findings/findings.projection';
import { ListFindingsHandler, OverdueTasksHandler } from './findings/findings.queries';
import { GetUnitHandler, ListUnitsHandler } from './units/units.queries';
import { reportingProjection } from './governance/reporting.projection';
import { DueReportingChecksHandler, GetReportingWindowHandler, ListReportingWindowsHandler, ReportingComplianceHandler } from './governance/reporting.queries';
import { controlTargetsProjection } from './governance/control-targets.projection';
import { ListControlTargetsHandler } from './governance/control-targets.queries';
import { incidentsProjection } from './governance/incidents.projection';
import { ListIncidentsHandler } from './governance/incidents.queries';
import { interviewsProjection } from './governance/interviews.projection';
import { GetInterviewHandler, ListInterviewsHandler } from './governance/interviews.queries';
import { recommendationsProjection } from './governance/recommendations.projection';
import { GetRecommendationHandler, ListRecommendationsHandler } from './governance/recommendations.queries';
import { OverdueRectificationsHandler, SameDayReportsAndIncidentsHandler, UnansweredRecommendationsHandler } from './governance/governance-findings.queries';
import { taskFactsProjection } from './governance/task-facts.projection';
import { bulletinsProjection } from './governance/bulletins.projection';
import { GetBulletinHandler, ListBulletinsHandler, MonthCountsHandler } from './governance/bulletins.queries';
import { AnnualStatisticsHandler } from './governance/annual-statistics.queries';

/** Every read model of the system, in one list for the runner (and, later, for rebuilds). */
export const PROJECTIONS = [unitsProjection, meetingsProjection, tasksProjection(), findingsProjection(), accountabilityProjection, reportingProjection, incidentsProjection, controlTargetsProjection, recommendationsProjection, interviewsProjection, taskFactsProjection, bulletinsProjection];

const OPTIONS = Symbol('PROJECTIONS_OPTIONS');

interface ProjectionsOptions {
  databaseUrl: string;
  /** Run the projections in this process (PROJECTOR=inline in the api; always in apps/projector). */
  run: boolean;
  /** Share them with the other processes that run them, each projection owned by one at a time (apps/projector). */
  share?: boolean;
}

@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODELS) private readonly pool: Pool,
    @Inject(OPTIONS) private readonly options: ProjectionsOptions,
  ) {}

  static forRoot(options: ProjectionsOptions): DynamicModule {
    const logger = new Logger('projections');
    return {
      module: ProjectionsModule,
      global: true,
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: READ_MODELS, useFactory: () => new Pool({ connectionString: options.databaseUrl, max: 6 }) },
        {
          provide: ProjectionRunner,
          inject: [EventStore, READ_MODELS],
          useFactory: (store: EventStore, pool: Pool) =>
            new ProjectionRunner(store, pool, PROJECTIONS, (name, error) => logger.error(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`), {
              share: options.share ? { connectionString: options.databaseUrl } : undefined,
            }),
        },
        ListUnitsHandler,
        GetUnitHandler,
        GetMeetingHandler,
        GetCaseHandler,
        ListCasesHandler,
        OverdueObligationsHandler,
        GetTaskHandler,
        ListTasksHandler,
        DueTaskChecksHandler,
        UnitBoardHandler,
        OfficeBoardHandler,
        ListFindingsHandler,
        OverdueTasksHandler,
        FindingsDetectorCursor,
        GetReportingWindowHandler,
        ListReportingWindowsHandler,
        ReportingComplianceHandler,
        DueReportingChecksHandler,
        ListIncidentsHandler,
        ListControlTargetsHandler,
        GetRecommendationHandler,
        ListRecommendationsHandler,
        GetInterviewHandler,
        ListInterviewsHandler,
        UnansweredRecommendationsHandler,
        OverdueRectificationsHandler,
        SameDayReportsAndIncidentsHandler,
        MonthCountsHandler,
        GetBulletinHandler,
        ListBulletinsHandler,
        AnnualStatisticsHandler,
      ],
      exports: [ProjectionRunner, READ_MODELS, FindingsDetectorCursor],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.run) await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.pool.end();
  }
}

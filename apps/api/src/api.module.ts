import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule, QueryBus } from '@nestjs/cqrs';
import { CheckpointService, LedgerModule } from '@app/audit';
import { ProjectionRunner, ProjectionsModule } from '@app/projections';
import { AppConfig } from '@app/config';
import { EventStore, EventStoreModule } from '@app/event-store';
import { hashAlgorithmFor } from '@app/ledger';
import { MeetingsModule } from '@app/meetings';
import { AccountabilityModule } from '@app/accountability';
import { BulletinSources, DocumentSealer, GovernanceModule, GovernancePolicy } from '@app/governance';
import { Clock, ManualClock, SystemClock } from '@app/shared-kernel';
import { SupervisionModule, SupervisionPolicy } from '@app/supervision';
import { UnitsModule } from '@app/units';
import { FindingsModule, FindingsPolicy } from '@app/findings';
import { PrivacyModule } from '@app/privacy';
import { ChineseDaysCalendar } from '@app/calendar';
import { BoardsController } from './boards/boards.controller';
import { DevClockController } from './dev/dev-clock.controller';
import { DeadlineScheduler } from './scheduler/deadline-scheduler';
import { FindingsScheduler } from './scheduler/findings-scheduler';
import { ReportingScheduler } from './scheduler/reporting-scheduler';
import { FindingsController } from './findings/findings.controller';
import { TasksController } from './tasks/tasks.controller';
import { DatabaseCheck } from './health/database.check';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { ProjectionProgressReader } from './health/projection-progress';
import { ApiMetrics } from './observability/api-metrics';
import { timeAppends } from './observability/timed-event-store';
import { MeetingsController } from './meetings/meetings.controller';
import { AccountabilityController } from './accountability/accountability.controller';
import { ReportingWindowsController } from './governance/reporting-windows.controller';
import { ControlTargetsController } from './governance/control-targets.controller';
import { IncidentsController } from './governance/incidents.controller';
import { InterviewsController } from './governance/interviews.controller';
import { BulletinsController } from './governance/bulletins.controller';
import { StatisticsController } from './governance/statistics.controller';
import { LedgerDocumentSealer, ReadModelBulletinSources } from './governance/bulletin-ports';
import { RecommendationsController } from './governance/recommendations.controller';
import { AuthController } from './http/auth/auth.controller';
import { AuthGuard } from './http/auth/auth.guard';
import { RateLimitGuard } from './http/rate-limit.guard';
import { TokenService } from './http/auth/token.service';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { IdempotencyStore } from './http/idempotency.store';
import { ReadYourWritesInterceptor } from './http/read-your-writes.interceptor';
import { RequestParamsPipe } from './http/request-params.pipe';
import { UnitsController } from './units/units.controller';
import { LedgerAuditController } from './audit/ledger-audit.controller';
import { AccessLogController } from './audit/access-log.controller';
import { AuditReadsController } from './audit/audit-reads.controller';

export interface ApiRuntime {
  config: AppConfig;
  databaseUrl: string;
}

@Module({})
export class ApiModule {
  static forRoot(runtime: ApiRuntime): DynamicModule {
    const { config } = runtime;
    return {
      module: ApiModule,
      imports: [
        CqrsModule.forRoot(),
        UnitsModule,
        SupervisionModule.forRoot(new SupervisionPolicy(new ChineseDaysCalendar(config.workingCalendarOverrides), config.signForWorkingDays, config.objectionWorkingDays, config.dueSoonDays)),
        MeetingsModule,
        AccountabilityModule,
        GovernanceModule.forRoot(new GovernancePolicy(config.controlTargetWarnings, config.bulletinWeights)),
        FindingsModule.forRoot(new FindingsPolicy(config.findingUnsupervisedDays, config.findingListedDays, config.findingLateIncidentHours)),
        // Every append of this process, the command handlers' included, is timed for /metrics.
        timeAppends(
          EventStoreModule.forRoot({
            kind: config.eventStore,
            databaseUrl: runtime.databaseUrl,
            eventstoreConnectionString: config.eventstoreConnectionString,
            hashAlgorithm: hashAlgorithmFor(config.ledgerAlgorithm),
          }),
        ),
        ProjectionsModule.forRoot({ databaseUrl: runtime.databaseUrl, run: config.projector === 'inline' }),
        // Background work runs here unless separate projector processes do it (PROJECTOR=off).
        LedgerModule.forRoot({ databaseUrl: runtime.databaseUrl, schedule: config.projector === 'inline' }),
        // Petitioners' personal data: sealed per data subject, opened for inspectors, shredded by the CLI.
        PrivacyModule.forRoot({ databaseUrl: runtime.databaseUrl }),
      ],
      controllers: [HealthController, MetricsController, AuthController, UnitsController, MeetingsController, AccountabilityController, TasksController, BoardsController, DevClockController, FindingsController, LedgerAuditController, AccessLogController, AuditReadsController, ReportingWindowsController, IncidentsController, ControlTargetsController, RecommendationsController, InterviewsController, BulletinsController, StatisticsController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: config.clockMode === 'manual' ? new ManualClock() : new SystemClock() },
        { provide: DatabaseCheck, useFactory: () => new DatabaseCheck(runtime.databaseUrl) },
        // Per app instance, never prom-client's global registry: tests run several apps in one process.
        { provide: ApiMetrics, useFactory: () => new ApiMetrics() },
        ProjectionProgressReader,
        { provide: TokenService, useFactory: () => TokenService.fromConfig(config) },
        DeadlineScheduler,
        FindingsScheduler,
        ReportingScheduler,
        { provide: APP_GUARD, useClass: AuthGuard },
        // After the AuthGuard, so the caller is the token's person (global guards run in this order).
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useClass: RequestParamsPipe },
        { provide: IdempotencyStore, useFactory: () => new IdempotencyStore(runtime.databaseUrl, config.idempotencyKeyHours) },
        // Global interceptors nest in this order, the first outermost: a replay answers before anything else runs.
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
        // The bulletin's ports (libs/governance), from the ledger key and the read models.
        { provide: DocumentSealer, inject: [CheckpointService], useFactory: (checkpoints: CheckpointService) => new LedgerDocumentSealer(checkpoints) },
        { provide: BulletinSources, inject: [QueryBus, ProjectionRunner, EventStore], useFactory: (queries: QueryBus, runner: ProjectionRunner, store: EventStore) => new ReadModelBulletinSources(queries, runner, store) },
      ],
      exports: [AppConfig, Clock, DocumentSealer, BulletinSources, ApiMetrics],
      global: true,
    };
  }
}

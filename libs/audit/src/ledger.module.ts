import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { AppConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { hashAlgorithmFor, loadOrCreateSigningKey } from '@app/ledger';
import { Clock } from '@app/shared-kernel';
import { CheckpointRepository } from './checkpoint.repository';
import { CheckpointScheduler } from './checkpoint.scheduler';
import { CheckpointService } from './checkpoint.service';
import { VerificationService } from './verification.service';
import { AccessLog } from './access-log';
import { AuditReads, TaskHistoryReader } from './reads';

const LEDGER_POOL = Symbol('LEDGER_POOL');

/** Checkpoints and verification for a Nest process; `schedule` runs periodic checkpoints in it. */
@Module({})
export class LedgerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(CheckpointScheduler) private readonly scheduler: CheckpointScheduler,
    @Inject(LEDGER_POOL) private readonly pool: Pool,
  ) {}

  static forRoot(options: { databaseUrl: string; schedule: boolean }): DynamicModule {
    return {
      module: LedgerModule,
      providers: [
        { provide: LEDGER_POOL, useFactory: () => new Pool({ connectionString: options.databaseUrl, max: 2 }) },
        { provide: CheckpointRepository, inject: [LEDGER_POOL], useFactory: (pool: Pool) => new CheckpointRepository(pool) },
        {
          provide: CheckpointService,
          inject: [EventStore, CheckpointRepository, AppConfig, Clock],
          useFactory: (store: EventStore, repo: CheckpointRepository, config: AppConfig, clock: Clock) =>
            new CheckpointService(store, repo, { algorithm: config.ledgerAlgorithm, ...loadOrCreateSigningKey(config.ledgerKeyFile, config.ledgerAlgorithm) }, clock),
        },
        {
          provide: VerificationService,
          inject: [EventStore, CheckpointRepository, AppConfig],
          useFactory: (store: EventStore, repo: CheckpointRepository, config: AppConfig) => new VerificationService(store, repo, config.ledgerAlgorithm, config.eventStore === 'postgres'),
        },
        {
          provide: CheckpointScheduler,
          inject: [CheckpointService, AppConfig],
          useFactory: (service: CheckpointService, config: AppConfig) =>
            new CheckpointScheduler(service, options.schedule ? config.checkpointIntervalSeconds * 1000 : 0, (e) => console.error('checkpoint failed', e)),
        },
        { provide: AccessLog, inject: [EventStore, Clock], useFactory: (store: EventStore, clock: Clock) => new AccessLog(store, clock) },
        {
          provide: AuditReads,
          inject: [EventStore, Clock, AppConfig],
          useFactory: (store: EventStore, clock: Clock, config: AppConfig) =>
            new AuditReads(store, new TaskHistoryReader(store, { alg: hashAlgorithmFor(config.ledgerAlgorithm), hashPositions: config.eventStore === 'postgres' }), clock, config.findingUnsupervisedDays),
        },
      ],
      exports: [CheckpointService, VerificationService, CheckpointRepository, AccessLog, AuditReads],
    };
  }

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    await this.pool.end();
  }
}

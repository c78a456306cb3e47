import { Module, type DynamicModule } from '@nestjs/common';
import { LedgerModule } from '@app/audit';
import { AppConfig } from '@app/config';
import { EventStoreModule } from '@app/event-store';
import { hashAlgorithmFor } from '@app/ledger';
import { Clock, ManualClock, SystemClock } from '@app/shared-kernel';
import { DatabaseCheck } from './health/database.check';
import { HealthController } from './health/health.controller';

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
        EventStoreModule.forRoot({
          kind: config.eventStore,
          databaseUrl: runtime.databaseUrl,
          eventstoreConnectionString: config.eventstoreConnectionString,
          hashAlgorithm: hashAlgorithmFor(config.ledgerAlgorithm),
        }),
        // Background work runs here unless separate projector processes do it (PROJECTOR=off).
        LedgerModule.forRoot({ databaseUrl: runtime.databaseUrl, schedule: config.projector === 'inline' }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: config.clockMode === 'manual' ? new ManualClock() : new SystemClock() },
        { provide: DatabaseCheck, useFactory: () => new DatabaseCheck(runtime.databaseUrl) },
      ],
      exports: [AppConfig, Clock],
      global: true,
    };
  }
}

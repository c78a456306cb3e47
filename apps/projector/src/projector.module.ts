import { Module, type DynamicModule } from '@nestjs/common';
import { LedgerModule } from '@app/audit';
import { ProjectionsModule } from '@app/projections';
import { AppConfig } from '@app/config';
import { EventStoreModule } from '@app/event-store';
import { hashAlgorithmFor } from '@app/ledger';
import { Clock, SystemClock } from '@app/shared-kernel';

/** The background process: with PROJECTOR=off in the api, this runs checkpoints (and projections). */
@Module({})
export class ProjectorModule {
  static forRoot(runtime: { config: AppConfig; databaseUrl: string }): DynamicModule {
    const { config } = runtime;
    return {
      module: ProjectorModule,
      global: true,
      imports: [
        EventStoreModule.forRoot({
          kind: config.eventStore,
          databaseUrl: runtime.databaseUrl,
          eventstoreConnectionString: config.eventstoreConnectionString,
          hashAlgorithm: hashAlgorithmFor(config.ledgerAlgorithm),
        }),
        LedgerModule.forRoot({ databaseUrl: runtime.databaseUrl, schedule: true }),
        ProjectionsModule.forRoot({ databaseUrl: runtime.databaseUrl, run: true, share: true }),
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: new SystemClock() },
      ],
      exports: [AppConfig, Clock],
    };
  }
}

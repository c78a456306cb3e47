import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { HashAlgorithm } from '@app/ledger';
import { Clock } from '@app/shared-kernel';
import { EventStoreDbEventStore } from './adapters/eventstoredb';
import { PostgresEventStore } from './adapters/postgres';
import { DeciderRunner } from './decider-runner';
import { EventStore } from './event-store.port';

export interface EventStoreModuleOptions {
  kind: 'postgres' | 'eventstoredb';
  databaseUrl: string;
  eventstoreConnectionString: string | null;
  hashAlgorithm: HashAlgorithm;
}

@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        {
          provide: EventStore,
          inject: [Clock],
          useFactory: (clock: Clock): EventStore =>
            options.kind === 'eventstoredb'
              ? new EventStoreDbEventStore({ connectionString: options.eventstoreConnectionString ?? '', hashAlgorithm: options.hashAlgorithm, clock })
              : new PostgresEventStore({ connectionString: options.databaseUrl, hashAlgorithm: options.hashAlgorithm, clock }),
        },
        { provide: DeciderRunner, inject: [EventStore, Clock], useFactory: (store: EventStore, clock: Clock) => new DeciderRunner(store, clock) },
      ],
      exports: [EventStore, DeciderRunner],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { AppConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { loadOrCreateMasterKey } from './master-key-file';
import { PersonalDataVault } from './personal-data.vault';
import { SubjectKeyStore } from './subject-key.store';
import { SubjectShredder } from './subject-shredder';

const PRIVACY_POOL = Symbol('PRIVACY_POOL');

/** Personal data for a Nest process: the vault that seals and opens it, and the shredder. */
@Module({})
export class PrivacyModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PRIVACY_POOL) private readonly pool: Pool,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  static forRoot(options: { databaseUrl: string }): DynamicModule {
    return {
      module: PrivacyModule,
      providers: [
        { provide: PRIVACY_POOL, useFactory: () => new Pool({ connectionString: options.databaseUrl, max: 2 }) },
        { provide: SubjectKeyStore, inject: [PRIVACY_POOL], useFactory: (pool: Pool) => new SubjectKeyStore(pool) },
        // The master key is loaded (or created) at boot, so a bad PII_MASTER_KEY_FILE stops the start.
        { provide: PersonalDataVault, inject: [SubjectKeyStore, AppConfig], useFactory: (keys: SubjectKeyStore, config: AppConfig) => new PersonalDataVault(keys, loadOrCreateMasterKey(config.piiMasterKeyFile)) },
        { provide: SubjectShredder, inject: [SubjectKeyStore, EventStore, Clock], useFactory: (keys: SubjectKeyStore, store: EventStore, clock: Clock) => new SubjectShredder(keys, store, clock) },
      ],
      exports: [PersonalDataVault, SubjectShredder],
    };
  }

  onApplicationBootstrap(): Promise<void> {
    return this.vault.checkMasterKey();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

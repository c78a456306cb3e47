import { Pool } from 'pg';
import { CheckpointRepository, type SigningKey } from '@app/audit';
import { loadConfig, type AppConfig } from '@app/config';
import { openDatabase } from '@app/database';
import { EventStoreDbEventStore, PostgresEventStore, type EventStore } from '@app/event-store';
import { hashAlgorithmFor, loadOrCreateSigningKey } from '@app/ledger';
import { runMigrations } from '@app/projections';
import { SystemClock, type Clock } from '@app/shared-kernel';

export interface CliRuntime {
  config: AppConfig;
  store: EventStore;
  pool: Pool;
  checkpoints: CheckpointRepository;
  key: SigningKey;
  clock: Clock;
}

/** Opens what a command needs (the same database the api uses) and closes it afterwards. */
export async function withRuntime<T>(run: (rt: CliRuntime) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, { needsAuth: false });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await runMigrations(database.url);
    const clock = new SystemClock();
    const hashAlgorithm = hashAlgorithmFor(config.ledgerAlgorithm);
    const store: EventStore =
      config.eventStore === 'eventstoredb'
        ? new EventStoreDbEventStore({ connectionString: config.eventstoreConnectionString ?? '', hashAlgorithm, clock })
        : new PostgresEventStore({ connectionString: database.url, hashAlgorithm, clock, poolSize: 4 });
    const pool = new Pool({ connectionString: database.url, max: 2 });
    const key = { algorithm: config.ledgerAlgorithm, ...loadOrCreateSigningKey(config.ledgerKeyFile, config.ledgerAlgorithm) };
    try {
      return await run({ config, store, pool, checkpoints: new CheckpointRepository(pool), key, clock });
    } finally {
      await store.close();
      await pool.end();
    }
  } finally {
    await database.close();
  }
}

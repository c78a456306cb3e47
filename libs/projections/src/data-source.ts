import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** Read models and all schema changes go through TypeORM; `synchronize` is never on (DESIGN.md §4). */
export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
  });
}

/**
 * Brings the schema up to date. Serialised by an advisory lock so that several processes
 * starting together (api, projectors) do not run the same migration twice.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock(7400155000)');
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.query('SELECT pg_advisory_unlock(7400155000)').catch(() => undefined);
    await dataSource.destroy();
  }
}

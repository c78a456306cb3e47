import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { runMigrations } from '../data-source';

export interface MigratedDatabase {
  /** One connection, as a projection's `apply` is given inside the runner's transaction. */
  readonly sql: Client;
  /** For query handlers, which take a pool. */
  readonly pool: Pool;
}

/** A fresh database with the read-model schema for one test file, dropped after it (jest hooks). */
export function migratedDatabase(prefix: string): MigratedDatabase {
  let db: TestDatabase | undefined;
  let sql: Client | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(prefix);
    await runMigrations(db.url);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await sql?.end();
    await pool?.end();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('migratedDatabase is used before its beforeAll ran');
    return value;
  };
  return {
    get sql() {
      return ready(sql);
    },
    get pool() {
      return ready(pool);
    },
  };
}

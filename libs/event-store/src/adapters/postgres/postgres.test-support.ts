import { Client } from 'pg';
import { EVENT_STORE_DDL } from './postgres.schema';

/** Creates the event tables directly (the app does it through the TypeORM migration). */
export async function installEventStoreSchema(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of EVENT_STORE_DDL) await client.query(statement);
  } finally {
    await client.end();
  }
}

import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.SL_TEST_SERVER_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error('No test PostgreSQL: run through jest (global setup) or set TEST_DATABASE_URL');
  }
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database on the test server, so test files never see each other's rows. */
export async function createTestDatabase(prefix = 'sl'): Promise<TestDatabase> {
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(serverUrl(), name),
    async drop() {
      const c = new Client({ connectionString: serverUrl() });
      await c.connect();
      try {
        // Pools just ended may still be saying goodbye: a forced drop that cuts them off mid-way
        // makes pg raise an error on a pool nobody listens to any more. Give them a moment first.
        for (let waited = 0; waited < 3_000; waited += 50) {
          const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (Number(rows[0]?.n) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

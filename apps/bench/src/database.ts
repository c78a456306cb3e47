import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@app/database';

export interface BenchServer {
  /** Connection string of the server's maintenance database. */
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** `BENCH_DATABASE_URL` when given, else an embedded PostgreSQL thrown away at the end. */
export async function openServer(externalUrl: string | undefined): Promise<BenchServer> {
  if (externalUrl) return { url: externalUrl, embedded: false, close: async () => undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-bench-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  return {
    url: server.url,
    embedded: true,
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh database on the server and returns its connection string. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * After a bulk fill: sets hint bits and statistics now, so that neither the next read pays for
 * them nor an autovacuum lands inside a measured window.
 */
export async function settle(url: string, table: string): Promise<void> {
  await withClient(url, (c) => c.query(`VACUUM (ANALYZE) ${table}`));
}

/**
 * Before each measured window, the same for every contender: vacuum and analyse what the run has
 * written so far (otherwise autovacuum of the previous contender's tables lands in the next
 * window), write out every dirty buffer, wait until no autovacuum worker runs, then settle.
 */
export async function quiesce(serverUrl: string, databaseUrls: readonly string[]): Promise<void> {
  for (const url of databaseUrls) await withClient(url, (c) => c.query('VACUUM (ANALYZE)'));
  await withClient(serverUrl, async (c) => {
    await c.query('CHECKPOINT');
    for (let waited = 0; waited < 10_000; waited += 200) {
      const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`);
      if (Number(rows[0]?.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

export async function countRows(url: string, table: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]?.n ?? 0);
  });
}

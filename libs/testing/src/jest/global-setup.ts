import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../../database/src/embedded-postgres';

/**
 * One PostgreSQL server per test run: TEST_DATABASE_URL when set, otherwise an embedded one in a
 * temporary folder on a free port (so parallel runs and checkouts never collide). Each test file
 * then creates its own database on it (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    process.env.SL_TEST_SERVER_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  process.env.SL_TEST_SERVER_URL = server.url;
  (globalThis as { __SL_PG__?: { stop(): Promise<void> } }).__SL_PG__ = server;
}

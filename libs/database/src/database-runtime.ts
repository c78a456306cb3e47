import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';

export const EMBEDDED_DATABASE = 'supervision';
const EMBEDDED_PASSWORD = 'embedded';

export interface DatabaseRuntime {
  url: string;
  /** The embedded server this process started, if any (it must stop it on shutdown). */
  embedded: EmbeddedServer | null;
  close(): Promise<void>;
}

/** The port of an embedded server already running on `dataDir` (line 4 of postmaster.pid), if any. */
function runningPort(dataDir: string): number | null {
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null; // stale pid file from a crash: the server is not running
  }
  return Number(port) || null;
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * DATABASE_URL when given; otherwise the embedded PostgreSQL in DATA_DIR, joining a server that
 * another process (the api, a projector, the CLI) already runs there, or starting one.
 */
export async function openDatabase(options: { databaseUrl: string | null; dataDir: string; log?: (line: string) => void }): Promise<DatabaseRuntime> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: null, close: async () => undefined };
  }
  const port = runningPort(options.dataDir);
  if (port) {
    const url = await ensureDatabase(`postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`, EMBEDDED_DATABASE);
    return { url, embedded: null, close: async () => undefined };
  }
  const server = await startEmbeddedPostgres({ dataDir: options.dataDir, persistent: true, log: options.log });
  try {
    const url = await ensureDatabase(server.url, EMBEDDED_DATABASE);
    return { url, embedded: server, close: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * embedded-postgres stops its servers on SIGINT/SIGTERM by itself, racing our own shutdown (the
 * app must close its pools and finish in-flight work first). We take that over: our handler
 * closes the app, then stops the server.
 */
export function takeOverSignals(shutdown: (signal: string) => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

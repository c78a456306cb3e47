import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How long readiness waits for its check; a database that answers slower counts as unavailable. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * The projector serves no API; container health checks still need something to ask. `/health/live`
 * answers while the event loop does (a wedged process does not); `/health/ready` also needs
 * `check` (a round trip to PostgreSQL) to succeed in time. Same shapes as the api's endpoints.
 */
export async function startHealthServer(port: number, check: () => Promise<void>): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const reply = (status: number, body: object): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return reply(405, { status: 'method not allowed' });
    if (request.url === '/health/live') return reply(200, { status: 'ok' });
    if (request.url !== '/health/ready') return reply(404, { status: 'not found' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    Promise.race([check(), timeout])
      .then(
        () => reply(200, { status: 'ok', checks: { database: 'ok' } }),
        (error: unknown) => reply(503, { status: 'unavailable', checks: { database: error instanceof Error ? error.message : String(error) } }),
      )
      .finally(() => clearTimeout(timer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

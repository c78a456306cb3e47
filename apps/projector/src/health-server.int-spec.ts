import { createServer } from 'node:net';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { startHealthServer } from './health-server';

/** A port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What a container health check of a projector sees (docker-compose.yml asks /health/ready). */
describe('the projector health endpoints', () => {
  let db: TestDatabase;
  let pool: Pool;
  let down: Pool;
  const servers: { port: number; close(): Promise<void> }[] = [];
  const get = async (port: number, path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = await createTestDatabase('projector_health');
    pool = new Pool({ connectionString: db.url, max: 1 });
    const nobody = new URL(db.url);
    nobody.port = String(await closedPort());
    down = new Pool({ connectionString: nobody.toString(), max: 1, connectionTimeoutMillis: 1000 });
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await pool?.end();
    await down?.end();
    await db?.drop();
  });

  it('is ready while PostgreSQL answers, and says what failed when it does not', async () => {
    const healthy = await startHealthServer(0, async () => void (await pool.query('SELECT 1')));
    const broken = await startHealthServer(0, async () => void (await down.query('SELECT 1')));
    servers.push(healthy, broken);
    expect(await get(healthy.port, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(healthy.port, '/health/ready')).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok' } } });
    expect(await get(broken.port, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await get(broken.port, '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', checks: { database: expect.stringMatching(/ECONNREFUSED|timeout/i) } });
    expect((await get(healthy.port, '/metrics')).status).toBe(404);
  });

  it('fails readiness when the check hangs, after a bounded wait', async () => {
    const stuck = await startHealthServer(0, () => new Promise<void>(() => undefined));
    servers.push(stuck);
    const started = Date.now();
    const ready = await get(stuck.port, '/health/ready');
    expect(ready).toEqual({ status: 503, body: { status: 'unavailable', checks: { database: 'no answer within 2000 ms' } } });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

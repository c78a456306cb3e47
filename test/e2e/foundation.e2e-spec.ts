import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@app/config';
import { runMigrations } from '@app/projections';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createApp } from '../../apps/api/src/create-app';

describe('the service on a real PostgreSQL', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_found');
    await runMigrations(db.url);
    const config = loadConfig({ DATABASE_URL: db.url, AUTH_MODE: 'dev', DATA_DIR: '.data/e2e', CHECKPOINT_INTERVAL_SECONDS: '0' });
    app = await createApp({ config, databaseUrl: db.url }, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers liveness and readiness with the state of its dependencies', async () => {
    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', eventStore: 'ok' } });
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const html = await fetch(`${base}/docs`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('swagger-ui');
    const doc = (await (await fetch(`${base}/docs-json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
  });
});

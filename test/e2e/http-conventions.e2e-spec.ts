import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@app/config';
import { runMigrations } from '@app/projections';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createApp } from '../../apps/api/src/create-app';

const SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e';

async function start(db: TestDatabase, env: Record<string, string>): Promise<{ app: INestApplication; base: string }> {
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: '.data/e2e', CHECKPOINT_INTERVAL_SECONDS: '0', ...env });
  const app = await createApp({ config, databaseUrl: db.url }, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, base: `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1` };
}

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as Record<string, unknown>;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('HTTP conventions: tokens, roles and problem details', () => {
  let db: TestDatabase;
  let dev: { app: INestApplication; base: string };
  let jwt: { app: INestApplication; base: string };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_http');
    await runMigrations(db.url);
    dev = await start(db, { AUTH_MODE: 'dev', AUTH_JWT_SECRET: SECRET });
    jwt = await start(db, { AUTH_MODE: 'jwt', AUTH_JWT_SECRET: `${SECRET}-other` });
  });
  afterAll(async () => {
    await dev?.app.close();
    await jwt?.app.close();
    await db?.drop();
  });

  it('issues a dev token whose claims come back from /auth/me', async () => {
    const issued = await post(`${dev.base}/auth/dev-token`, { personId: 'p-zhang', name: '张伟', unitId: 'u-chuanshan', roles: ['unit', 'unit_lead'] });
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as { token: string };
    const me = await fetch(`${dev.base}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ personId: 'p-zhang', name: '张伟', unitId: 'u-chuanshan', roles: ['unit', 'unit_lead'] });
  });

  it('refuses a missing, malformed or foreign token with 401 problem details', async () => {
    const none = await fetch(`${dev.base}/auth/me`);
    expect(none.status).toBe(401);
    expect(await problemOf(none)).toMatchObject({ status: 401, code: 'MISSING_TOKEN', title: 'Unauthorized' });
    const garbage = await fetch(`${dev.base}/auth/me`, { headers: { authorization: 'Bearer not.a.jwt' } });
    expect(await problemOf(garbage)).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    // A token signed by another deployment's secret is worthless here.
    const { token } = (await (await post(`${dev.base}/auth/dev-token`, { personId: 'p-1', name: 'x', roles: ['office'] })).json()) as { token: string };
    const foreign = await fetch(`${jwt.base}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await problemOf(foreign)).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
  });

  it('validates bodies field by field and says what is wrong, recording nothing', async () => {
    const bad = await post(`${dev.base}/auth/dev-token`, { personId: '', roles: ['mayor'], extra: true });
    expect(bad.status).toBe(400);
    const body = await problemOf(bad);
    expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['', 'name', 'personId', 'roles.0']);
  });

  it('answers malformed JSON, oversized bodies and unknown routes with problem details', async () => {
    const malformed = await post(`${dev.base}/auth/dev-token`, '{"personId": ');
    expect(malformed.status).toBe(400);
    expect(await problemOf(malformed)).toMatchObject({ code: 'MALFORMED_JSON' });
    const huge = await post(`${dev.base}/auth/dev-token`, { personId: 'p', name: 'x'.repeat(2_000_000), roles: ['office'] });
    expect(huge.status).toBe(413);
    expect(await problemOf(huge)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const unknown = await fetch(`${dev.base}/no-such-thing`, { headers: { authorization: 'Bearer x' } });
    expect([401, 404]).toContain(unknown.status);
    await problemOf(unknown);
  });

  it('has no dev-token endpoint outside dev mode', async () => {
    const response = await post(`${jwt.base}/auth/dev-token`, { personId: 'p-1', name: 'x', roles: ['admin'] });
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ status: 404 });
  });

  it('documents the auth endpoints and the bearer scheme in OpenAPI', async () => {
    const doc = (await (await fetch(`${dev.base.replace('/api/v1', '')}/docs-json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>>; components: { securitySchemes?: object } };
    expect(doc.paths['/api/v1/auth/dev-token']?.post?.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/auth/me']?.get).toBeDefined();
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
  });
});

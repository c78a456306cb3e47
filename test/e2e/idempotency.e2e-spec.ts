import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { runMigrations } from '@app/projections';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createApp } from '../../apps/api/src/create-app';
import { IdempotencyStore } from '../../apps/api/src/http/idempotency.store';

interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
  headers: Headers;
}

describe('Idempotency-Key on POST', () => {
  let db: TestDatabase;
  let sql: Client;
  const apps: INestApplication[] = [];
  const bases: string[] = [];
  const tokens: Record<string, string> = {};

  async function start(): Promise<string> {
    const config = loadConfig({ DATABASE_URL: db.url, AUTH_MODE: 'dev', AUTH_JWT_SECRET: 'idem-e2e-secret-idem-e2e-secret-0000', DATA_DIR: '.data/e2e', CHECKPOINT_INTERVAL_SECONDS: '0' });
    const app = await createApp({ config, databaseUrl: db.url }, { logger: false });
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
  }

  const post = async (path: string, body: unknown, key: string | null, options: { as?: string; base?: string } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${tokens[options.as ?? 'office']}` };
    if (key !== null) headers['idempotency-key'] = key;
    const response = await fetch(`${options.base ?? bases[0]}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown>, headers: response.headers };
  };
  const registrations = async (): Promise<number> => Number((await sql.query(`SELECT count(*) AS n FROM events WHERE type = 'units.unit-registered.v1'`)).rows[0].n);
  const keysStored = async (key: string): Promise<number> => Number((await sql.query('SELECT count(*) AS n FROM idempotency_keys WHERE key = $1', [key])).rows[0].n);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_idem');
    await runMigrations(db.url);
    bases.push(await start(), await start());
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    const issue = async (name: string, claims: object): Promise<void> => {
      const response = await fetch(`${bases[0]}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) });
      tokens[name] = ((await response.json()) as { token: string }).token;
    };
    await issue('office', { personId: 'p-office', name: '联席办 王芳', roles: ['office'] });
    await issue('admin', { personId: 'p-admin', name: '管理员 李强', roles: ['admin'] });
  });
  afterAll(async () => {
    await sql?.end();
    for (const app of apps) await app.close();
    await db?.drop();
  });

  it('answers a repeat with the first response, byte for byte and with its status, and records nothing new', async () => {
    const before = await registrations();
    // No id in the body: without the key, a repeat would register a second unit under a new id.
    const first = await post('/units', { name: '船山区', kind: 'district' }, 'reg-chuanshan');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The same body with its keys in another order and other spacing is the same request.
    const again = await post('/units', '{ "kind": "district",   "name": "船山区" }', 'reg-chuanshan');
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('x-event-position')).toBe(first.headers.get('x-event-position'));
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await registrations()).toBe(before + 1);
  });

  it('keeps the status of routes that answer 200', async () => {
    await post('/units', { id: 'hedong', name: '河东新区', kind: 'zone' }, null);
    await post('/units/hedong/posts', { personId: 'p-zhang', name: '张伟', post: 'handler', from: '2026-01-05T09:00:00+08:00' }, null);
    const ended = await post('/units/hedong/posts/p-zhang/end', { at: '2026-06-30T17:00:00+08:00' }, 'end-zhang');
    const again = await post('/units/hedong/posts/p-zhang/end', { at: '2026-06-30T17:00:00+08:00' }, 'end-zhang');
    expect(ended).toMatchObject({ status: 200, body: { id: 'hedong', version: 3 } });
    expect(again.status).toBe(200);
    expect(again.text).toBe(ended.text);
  });

  it('refuses the same key with another body or on another URL with 422, recording nothing', async () => {
    await post('/units', { name: '蓬溪县', kind: 'county' }, 'reg-pengxi');
    const before = await registrations();
    const other = await post('/units', { name: '射洪市', kind: 'county' }, 'reg-pengxi');
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    const elsewhere = await post('/units/hedong/posts', { name: '蓬溪县', kind: 'county' }, 'reg-pengxi');
    expect(elsewhere).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await registrations()).toBe(before);
  });

  it('keeps no trace of a refused request: the corrected one succeeds under the same key', async () => {
    const before = await registrations();
    const invalid = await post('/units', { name: '', kind: 'province' }, 'reg-shehong');
    expect(invalid).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const refused = await post('/units', { name: '射洪市', kind: 'county', parentId: 'nowhere' }, 'reg-shehong');
    expect(refused).toMatchObject({ status: 422, body: { code: 'PARENT_UNIT_NOT_FOUND' } });
    expect(await keysStored('reg-shehong')).toBe(0);
    const corrected = await post('/units', { name: '射洪市', kind: 'county' }, 'reg-shehong');
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    const again = await post('/units', { name: '射洪市', kind: 'county' }, 'reg-shehong');
    expect(again.text).toBe(corrected.text);
    expect(await registrations()).toBe(before + 1);
  });

  it('records once when ten identical requests race, across two api processes on one database', async () => {
    const before = await registrations();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post('/units', { name: '大英县', kind: 'county' }, 'reg-daying', { base: bases[i % 2] })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(await registrations()).toBe(before + 1);
  });

  it('still replays after a restart', async () => {
    const first = await post('/units', { name: '安居区', kind: 'district' }, 'reg-anju');
    for (const app of apps.splice(0)) await app.close();
    bases.splice(0, bases.length, await start());
    const before = await registrations();
    const again = await post('/units', { name: '安居区', kind: 'district' }, 'reg-anju');
    expect(again).toMatchObject({ status: 201, text: first.text });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await registrations()).toBe(before);
  });

  it('gives every caller their own keys', async () => {
    const before = await registrations();
    const office = await post('/units', { name: '市住建局', kind: 'department' }, 'shared-key');
    const admin = await post('/units', { name: '市住建局', kind: 'department' }, 'shared-key', { as: 'admin' });
    expect([office.status, admin.status]).toEqual([201, 201]);
    expect(admin.headers.get('idempotent-replayed')).toBeNull();
    expect(admin.body.id).not.toBe(office.body.id);
    expect(await registrations()).toBe(before + 2);
  });

  it('refuses a key that is empty, too long or not printable ASCII with 400', async () => {
    for (const key of ['', 'k'.repeat(201), 'tab\there']) {
      expect(await post('/units', { name: '某区', kind: 'district' }, key)).toMatchObject({ status: 400, body: { code: 'INVALID_IDEMPOTENCY_KEY' } });
    }
    expect(await post('/units', { name: '某区', kind: 'district' }, 'k'.repeat(200))).toMatchObject({ status: 201 });
  });

  it('answers 409 while the first request is still running, and takes over a key whose process died', async () => {
    const hash = (await sql.query<{ request_hash: string }>(`SELECT request_hash FROM idempotency_keys WHERE key = 'reg-anju'`)).rows[0]?.request_hash;
    const pending = (key: string, age: string): Promise<unknown> =>
      sql.query(`INSERT INTO idempotency_keys (scope, key, method_path, request_hash, claim_token, created_at) VALUES ('p-office', $1, 'POST /api/v1/units', $2, 'elsewhere', now() - $3::interval)`, [key, hash, age]);
    await pending('in-flight', '1 second');
    const before = await registrations();
    const started = Date.now();
    expect(await post('/units', { name: '安居区', kind: 'district' }, 'in-flight')).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
    await pending('crashed', '2 minutes');
    expect(await post('/units', { name: '安居区', kind: 'district' }, 'crashed')).toMatchObject({ status: 201 });
    expect(await registrations()).toBe(before + 1);
  });

  it('frees a key once its answer is older than IDEMPOTENCY_KEY_HOURS (default 24), and prunes such keys', async () => {
    const first = await post('/units', { name: '高新区', kind: 'zone' }, 'reg-expiring');
    expect(first.status).toBe(201);
    await sql.query(`UPDATE idempotency_keys SET created_at = now() - interval '23 hours' WHERE key = 'reg-expiring'`);
    expect((await post('/units', { name: '大英县', kind: 'county' }, 'reg-expiring')).status).toBe(422);
    await sql.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'reg-expiring'`);
    const before = await registrations();
    const fresh = await post('/units', { name: '大英县', kind: 'county' }, 'reg-expiring');
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(await registrations()).toBe(before + 1);
    expect((await post('/units', { name: '大英县', kind: 'county' }, 'reg-expiring')).text).toBe(fresh.text);

    await sql.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'reg-expiring'`);
    const store = apps[0]?.get(IdempotencyStore);
    expect(await store?.prune()).toBe(1);
    expect(await keysStored('reg-expiring')).toBe(0);
  });

  it('documents the header on POST operations that have a caller', async () => {
    const doc = (await (await fetch(`${bases[0]?.replace('/api/v1', '')}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { $ref?: string }[] }>>;
      components: { parameters?: Record<string, { name: string; in: string }> };
    };
    expect(doc.components.parameters?.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' });
    expect(doc.paths['/api/v1/units']?.post?.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(doc.paths['/api/v1/auth/dev-token']?.post?.parameters ?? []).not.toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
  });
});

import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { createJsonLogger } from '@app/observability';
import { PROJECTIONS, runMigrations } from '@app/projections';
import { Clock, ManualClock } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createApp } from '../../apps/api/src/create-app';
import { ApiHarness, ok } from './support/api-harness';

const DAY = 86_400_000;
const HARNESS_ENV = { AUTH_MODE: 'dev', AUTH_JWT_SECRET: 'e2e-harness-secret-e2e-harness-secret', DATA_DIR: '.data/e2e', CHECKPOINT_INTERVAL_SECONDS: '0' };

/** The value of one sample in Prometheus text, e.g. sample(text, 'sl_findings_total{rule="task_overdue"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('observability: request ids, JSON logs and Prometheus metrics', () => {
  let api: ApiHarness;
  let root: string;
  const metrics = async (): Promise<string> => {
    const response = await fetch(`${root}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_obs', { CLOCK_MODE: 'manual' });
    root = api.base.replace('/api/v1', '');
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
  });
  afterAll(async () => api?.stop());

  it('keeps a client’s X-Correlation-Id and X-Request-Id: echoed on the response and stored in the event’s metadata', async () => {
    const created = ok(await api.post('/units', 'office', { id: 'chuanshan', name: '船山区', kind: 'district' }, { 'x-correlation-id': 'petition-2026-0042', 'x-request-id': 'req-obs-1' }), 201);
    expect(created.headers.get('x-correlation-id')).toBe('petition-2026-0042');
    expect(created.headers.get('x-request-id')).toBe('req-obs-1');
    const [event] = await api.events('units.unit-chuanshan');
    expect(event?.metadata).toMatchObject({ correlationId: 'petition-2026-0042', requestId: 'req-obs-1' });
  });

  it('makes the ids once when the client sends none (or unsafe ones), and the events carry the ids the response names', async () => {
    const created = ok(await api.post('/units', 'office', { id: 'hedong', name: '河东新区', kind: 'zone' }, { 'x-correlation-id': 'two words' }), 201);
    const requestId = created.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // No usable correlation id: the request is its own conversation.
    expect(created.headers.get('x-correlation-id')).toBe(requestId);
    const [event] = await api.events('units.unit-hedong');
    expect(event?.metadata).toMatchObject({ correlationId: requestId, requestId });
  });

  it('records an inspector’s read in the access log under the ids of the request that read', async () => {
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周敏', roles: ['inspector'] });
    ok(await api.send('GET', '/audit/streams/units.unit-chuanshan', 'inspector', undefined, { 'x-correlation-id': 'case-2026-7', 'x-request-id': 'req-audit-1' }));
    const { rows } = await api.sql.query<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM events WHERE type = 'audit.data-read.v1' ORDER BY position DESC LIMIT 1`);
    expect(rows[0]?.metadata).toMatchObject({ correlationId: 'case-2026-7', requestId: 'req-audit-1', actor: { personId: 'p-jj' } });
  });

  it('echoes the ids on a refusal too, so a client can quote them', async () => {
    const refused = await api.send('POST', '/units', 'nobody', { id: 'x', name: 'x', kind: 'district' }, { 'x-correlation-id': 'c-refused' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-correlation-id')).toBe('c-refused');
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves /metrics: HTTP latency by route template, append latency, projection lag, scheduler runs, findings by rule and process metrics', async () => {
    // A task overdue once the clock moves: the deadline and findings schedulers then record task_overdue.
    const now = Date.parse(String(ok(await api.get('/dev/clock', 'office')).body.now));
    ok(await api.post('/tasks', 'office', { id: 't-obs', title: '电梯停运', description: '居民反映', source: { kind: 'other' }, leadUnitId: 'chuanshan', dueAt: new Date(now + DAY).toISOString() }), 201);
    ok(await api.read('/units/chuanshan', 'office'));
    ok(await api.read('/tasks/t-obs', 'office'));
    expect((await api.get('/tasks/nowhere', 'office')).status).toBe(404);
    expect((await fetch(`${root}/no/such/page-t-obs`)).status).toBe(404);
    const moved = ok(await api.post('/dev/clock', 'office', { advance: 'P3D' }));
    expect(moved.body.findings).toBeGreaterThanOrEqual(1);

    const text = await metrics();
    // Route templates, never raw ids; a 404 of a matched route keeps its template.
    expect(sample(text, 'sl_http_request_duration_seconds_count{method="POST",route="/api/v1/units",status="201"}')).toBe(2);
    expect(sample(text, 'sl_http_request_duration_seconds_count{method="POST",route="/api/v1/units",status="401"}')).toBe(1);
    expect(sample(text, 'sl_http_request_duration_seconds_count{method="GET",route="/api/v1/tasks/:taskId",status="200"}')).toBe(1);
    expect(sample(text, 'sl_http_request_duration_seconds_count{method="GET",route="/api/v1/tasks/:taskId",status="404"}')).toBe(1);
    expect(sample(text, 'sl_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/api/v1/tasks",status="201"}')).toBe(1);
    // A path no route answers is counted under one label, whatever was asked.
    expect(sample(text, 'sl_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).not.toContain('t-obs');
    // Every append of the process: commands, the schedulers' deadline and finding events.
    expect(sample(text, 'sl_event_append_duration_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'sl_event_append_duration_seconds_sum{outcome="ok"}')).toBeGreaterThan(0);
    for (const job of ['deadlines', 'reporting', 'findings']) expect(sample(text, `sl_scheduler_runs_total{job="${job}",outcome="ok"}`)).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sl_findings_total{rule="task_overdue"}')).toBe(1);
    expect(sample(text, 'sl_findings_total{rule="rectification_overdue"}')).toBe(0);
    // The dev clock answered once the read models had applied the whole log.
    const head = sample(text, 'sl_log_head_position');
    expect(head).toBe(Number(await api.head()));
    for (const p of PROJECTIONS) {
      expect(sample(text, `sl_projection_position{projection="${p.name}"}`)).toBe(head);
      expect(sample(text, `sl_projection_lag_positions{projection="${p.name}"}`)).toBe(0);
    }
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) expect(sample(text, name)).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('writes one JSON log line per request with method, route, status, duration, the ids and the caller; Nest’s own logs are JSON too', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createJsonLogger({ app: 'api', level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
    const config = loadConfig({ DATABASE_URL: api.db.url, ...HARNESS_ENV, PROJECTOR: 'off' });
    const app = await createApp({ config, databaseUrl: api.db.url }, { logger });
    try {
      await app.listen(0, '127.0.0.1');
      const base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
      const created = ok(await api.send('POST', '/units', 'office', { id: 'pengxi', name: '蓬溪县', kind: 'county' }, { 'x-correlation-id': 'corr-logged' }, base), 201);
      const refused = await api.send('GET', '/units/pengxi', 'nobody', undefined, {}, base);
      expect(refused.status).toBe(401);

      // Written when the server has sent the last byte, which may be a moment after the client read it.
      const requests = lines.filter((l) => l.msg === 'request completed');
      for (let tries = 0; requests.length < 2 && tries < 50; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        requests.splice(0, requests.length, ...lines.filter((l) => l.msg === 'request completed'));
      }
      expect(requests).toEqual([
        expect.objectContaining({
          level: 'info',
          app: 'api',
          method: 'POST',
          route: '/api/v1/units',
          url: '/api/v1/units',
          status: 201,
          durationMs: expect.any(Number),
          requestId: created.headers.get('x-request-id'),
          correlationId: 'corr-logged',
          personId: 'p-wf',
        }),
        expect.objectContaining({ method: 'GET', route: '/api/v1/units/:unitId', status: 401, requestId: refused.headers.get('x-request-id') }),
      ]);
      expect(requests[1]).not.toHaveProperty('personId');
      // The log line and the event agree on the ids.
      const [event] = await api.events('units.unit-pengxi');
      expect(event?.metadata).toMatchObject({ correlationId: 'corr-logged', requestId: created.headers.get('x-request-id') });
      expect(lines).toContainEqual(expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' }));
    } finally {
      await app.close();
    }
  });
});

describe('readiness: a stalled projection makes /health/ready answer 503', () => {
  let db: TestDatabase;
  let sql: Client;
  let app: INestApplication;
  let root: string;
  let clock: ManualClock;
  let token: string;
  const ready = async (): Promise<{ status: number; body: Record<string, unknown>; contentType: string }> => {
    const response = await fetch(`${root}/health/ready`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, contentType: response.headers.get('content-type') ?? '' };
  };
  /** Where the projector processes left each projection (the api runs none: PROJECTOR=off), moved at the server's now. */
  const checkpoints = async (positions: Record<string, number>, head: number): Promise<void> => {
    const upsert = `INSERT INTO projection_checkpoints (name, position, updated_at) SELECT unnest($1::text[]), unnest($2::bigint[]), $3
                 ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`;
    const names = PROJECTIONS.map((p) => p.name);
    await sql.query(upsert, [names, names.map((n) => positions[n] ?? head), clock.now()]);
  };
  const register = async (id: string): Promise<number> => {
    const response = await fetch(`${root}/api/v1/units`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ id, name: id, kind: 'district' }) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { position: number }).position;
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_obs_ready');
    await runMigrations(db.url);
    const config = loadConfig({ DATABASE_URL: db.url, ...HARNESS_ENV, PROJECTOR: 'off', CLOCK_MODE: 'manual', PROJECTION_STALL_SECONDS: '30' });
    app = await createApp({ config, databaseUrl: db.url }, { logger: false });
    await app.listen(0, '127.0.0.1');
    root = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const manual = app.get(Clock);
    if (!(manual instanceof ManualClock)) throw new Error('CLOCK_MODE=manual gives a ManualClock');
    clock = manual;
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    const response = await fetch(`${root}/api/v1/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ personId: 'p-ops', name: '运维', roles: ['admin'] }) });
    token = ((await response.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await db?.drop();
  });

  it('is ready while every projection keeps up, stalled once one trails the head without moving for PROJECTION_STALL_SECONDS, ready again when it moves', async () => {
    const first = await register('chuanshan');
    const head = await register('hedong');
    // Every projection at the head but the units read model, which has not applied either event yet.
    await checkpoints({ 'units.v1': 0 }, head);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: 'ok', eventStore: 'ok', projections: 'ok' }, headPosition: head } });

    clock.advanceMs(31_000);
    const stalled = await ready();
    expect(stalled.status).toBe(503);
    expect(stalled.contentType).toMatch(/^application\/problem\+json/);
    expect(stalled.body).toMatchObject({ status: 503, code: 'NOT_READY', checks: { database: 'ok', eventStore: 'ok', projections: `stalled: units.v1 at 0 of ${head}` }, stalled: [{ name: 'units.v1', position: 0, head }] });

    // A projector moves it one event on: still behind, but moving, so not stalled.
    await checkpoints({ 'units.v1': first }, head);
    expect(await ready()).toMatchObject({ status: 200, body: { checks: { projections: 'ok' } } });
    clock.advanceMs(31_000);
    expect(await ready()).toMatchObject({ status: 503, body: { stalled: [{ name: 'units.v1', position: first, head }] } });

    // Caught up: ready, however long ago it last moved.
    await checkpoints({}, head);
    clock.advanceMs(3_600_000);
    expect(await ready()).toMatchObject({ status: 200, body: { checks: { projections: 'ok' } } });
  });
});

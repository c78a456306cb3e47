import type { Client } from 'pg';
import { ApiHarness } from './support/api-harness';

describe('member units and posts over HTTP', () => {
  let api: ApiHarness;
  let base: string;
  let sql: Client;
  let tokens: Record<string, string>;

  const call = async (path: string, body: unknown, as = 'office', headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[as]}`, ...headers }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
  };
  const eventsOf = async (unitId: string): Promise<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[]> =>
    (await sql.query('SELECT type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version', [`units.unit-${unitId}`])).rows;

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_units');
    ({ base, sql, tokens } = api);
    await api.as('office', { personId: 'p-office', name: '联席办 王芳', roles: ['office'] });
    await api.as('unit', { personId: 'p-unit', name: '张伟', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] });
  });
  afterAll(async () => api?.stop());

  it('registers a unit: 201 with id, version and position, ETag and X-Event-Position, the actor on record', async () => {
    const created = await call('/units', { id: 'chuanshan', name: '船山区', kind: 'district' }, 'office', { 'x-request-id': 'req-42' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'chuanshan', version: 1, position: expect.any(Number) });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('x-event-position')).toBe(String(created.body.position));
    const [event] = await eventsOf('chuanshan');
    expect(event).toMatchObject({ type: 'units.unit-registered.v1', data: { unitId: 'chuanshan', name: '船山区', kind: 'district', parentId: null } });
    expect(event?.metadata).toMatchObject({ actor: { personId: 'p-office', roles: ['office'] }, requestId: 'req-42', correlationId: 'req-42' });
  });

  it('gives a unit a server id when the client sends none, and checks the parent exists', async () => {
    const township = await call('/units', { name: '镇江寺街道', kind: 'township', parentId: 'chuanshan' });
    expect(township.status).toBe(201);
    expect(township.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const orphan = await call('/units', { name: '某街道', kind: 'township', parentId: 'nowhere' });
    expect(orphan).toMatchObject({ status: 422, body: { code: 'PARENT_UNIT_NOT_FOUND' } });
  });

  it('refuses a duplicate (409), a unit user (403) and bad input (400), recording nothing', async () => {
    expect(await call('/units', { id: 'chuanshan', name: '船山区', kind: 'district' })).toMatchObject({ status: 409, body: { code: 'UNIT_ALREADY_EXISTS' } });
    expect(await call('/units', { id: 'hedong', name: '河东新区', kind: 'zone' }, 'unit')).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } });
    const bad = await call('/units', { id: 'bad id!', name: '', kind: 'province', extra: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['', 'id', 'kind', 'name']);
    expect(await eventsOf('chuanshan')).toHaveLength(1);
    expect(await eventsOf('hedong')).toHaveLength(0);
  });

  it('keeps posts as history: one primary leader at a time, a term ends explicitly, If-Match pins the version', async () => {
    const zhang = await call('/units/chuanshan/posts', { personId: 'p-zhang', name: '张伟', post: 'primary_leader', from: '2025-03-01T08:00:00+08:00' });
    expect(zhang).toMatchObject({ status: 201, body: { id: 'chuanshan', version: 2 } });
    expect(await call('/units/chuanshan/posts', { personId: 'p-wang', name: '王强', post: 'primary_leader' })).toMatchObject({ status: 422, body: { code: 'PRIMARY_LEADER_IN_POST' } });
    expect(await call('/units/chuanshan/posts/p-zhang/end', { reason: '调任' }, 'office', { 'if-match': '"1"' })).toMatchObject({ status: 412, body: { code: 'VERSION_MISMATCH' } });
    const ended = await call('/units/chuanshan/posts/p-zhang/end', { at: '2026-06-30T17:00:00+08:00', reason: '调任' }, 'office', { 'if-match': '"2"' });
    expect(ended).toMatchObject({ status: 200, body: { version: 3 } });
    expect(ended.headers.get('etag')).toBe('"3"');
    expect(await call('/units/chuanshan/posts', { personId: 'p-wang', name: '王强', post: 'primary_leader', from: '2026-07-01T09:00:00+08:00' })).toMatchObject({ status: 201, body: { version: 4 } });
    const events = await eventsOf('chuanshan');
    expect(events.map((e) => e.type)).toEqual(['units.unit-registered.v1', 'units.post-assigned.v1', 'units.post-ended.v1', 'units.post-assigned.v1']);
    expect(events[2]?.data).toEqual({ unitId: 'chuanshan', personId: 'p-zhang', post: 'primary_leader', from: '2025-03-01T00:00:00.000Z', to: '2026-06-30T09:00:00.000Z', reason: '调任' });
  });

  const read = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tokens.unit}`, ...headers } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
  };

  it('reads its own writes: with minPosition the unit shows every term, in Beijing time', async () => {
    const written = await call('/units/chuanshan/posts', { personId: 'p-li', name: '李娜', post: 'handler', from: '2026-07-02T09:00:00+08:00' });
    const unit = await read(`/units/chuanshan?minPosition=${String(written.body.position)}`);
    expect(unit.status).toBe(200);
    expect(Number(unit.headers.get('x-projection-position'))).toBeGreaterThanOrEqual(Number(written.body.position));
    expect(unit.body).toMatchObject({ id: 'chuanshan', name: '船山区', kind: 'district', parentId: null, version: 5 });
    expect(unit.body.posts).toEqual([
      { personId: 'p-zhang', name: '张伟', post: 'primary_leader', from: '2025-03-01T08:00:00.000+08:00', to: '2026-06-30T17:00:00.000+08:00', reason: '调任' },
      { personId: 'p-wang', name: '王强', post: 'primary_leader', from: '2026-07-01T09:00:00.000+08:00', to: null, reason: null },
      { personId: 'p-li', name: '李娜', post: 'handler', from: '2026-07-02T09:00:00.000+08:00', to: null, reason: null },
    ]);
  });

  it('lists units page by page with the people now in post', async () => {
    for (const [id, name] of [['hedong', '河东新区'], ['pengxi', '蓬溪县']]) await call('/units', { id, name, kind: 'county' });
    const last = await call('/units', { id: 'zhujianju', name: '住建局', kind: 'department' });
    const pages: { id: string; posts: { personId: string }[] }[][] = [];
    let cursor: unknown = null;
    do {
      const page = await read(`/units?limit=2${cursor ? `&cursor=${String(cursor)}` : ''}`, { 'x-min-position': String(last.body.position) });
      pages.push(page.body.items as { id: string; posts: { personId: string }[] }[]);
      cursor = page.body.nextCursor;
    } while (cursor);
    const ids = pages.flat().map((u) => u.id);
    expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['chuanshan', 'hedong', 'pengxi', 'zhujianju']));
    expect(ids).toHaveLength(new Set(ids).size);
    expect(pages.flat().find((u) => u.id === 'chuanshan')?.posts.map((p) => p.personId)).toEqual(['p-wang', 'p-li']);
  });

  it('reports each projection’s position and lag at /metrics', async () => {
    const written = await call('/units', { id: 'jinrongju', name: '金融工作局', kind: 'department' });
    await read(`/units/jinrongju?minPosition=${String(written.body.position)}`);
    const text = await (await fetch(`${base.replace('/api/v1', '')}/metrics`)).text();
    expect(text).toContain('# TYPE sl_projection_lag_positions gauge');
    const head = Number(/^sl_log_head_position (\d+)$/m.exec(text)?.[1]);
    const position = Number(/^sl_projection_position\{projection="units.v1"\} (\d+)$/m.exec(text)?.[1]);
    expect(head).toBeGreaterThanOrEqual(Number(written.body.position));
    expect(position).toBeGreaterThanOrEqual(Number(written.body.position));
    expect(text).toMatch(/^sl_projection_lag_positions\{projection="units.v1"\} \d+$/m);
  });

  it('refuses a bad read with 400 or 404 problem details', async () => {
    expect(await read('/units/nowhere')).toMatchObject({ status: 404, body: { code: 'UNIT_NOT_FOUND' } });
    expect(await read('/units?minPosition=soon')).toMatchObject({ status: 400, body: { code: 'INVALID_MIN_POSITION' } });
    expect(await read('/units?limit=0')).toMatchObject({ status: 400, body: { code: 'INVALID_LIMIT' } });
    expect(await read('/units?cursor=not-ours')).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
  });

  it('answers posts of an unknown unit with 404 and a malformed If-Match with 400', async () => {
    expect(await call('/units/nowhere/posts', { personId: 'p-1', name: '李娜', post: 'handler' })).toMatchObject({ status: 404, body: { code: 'UNIT_NOT_FOUND' } });
    expect(await call('/units/chuanshan/posts', { personId: 'p-1', name: '李娜', post: 'handler' }, 'office', { 'if-match': 'W/"4"' })).toMatchObject({ status: 400, body: { code: 'INVALID_IF_MATCH' } });
  });
});

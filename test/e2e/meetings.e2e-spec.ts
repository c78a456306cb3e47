import type { Client } from 'pg';
import { ApiHarness } from './support/api-harness';

interface Answer {
  status: number;
  type: string | null;
  body: Record<string, unknown>;
  headers: Headers;
}

const meeting = {
  id: 'plenary-2',
  title: '2026年第二次全体会议',
  kind: 'plenary',
  convenorId: 'p-chen',
  convenorName: '陈书记',
  heldAt: '2026-03-10T09:00:00+08:00',
  attendees: [
    { personId: 'p-office', name: '联席办主任' },
    { personId: 'p-zhang', name: '张伟', unitId: 'chuanshan' },
    { personId: 'p-li', name: '李娜', unitId: 'zhujianju' },
  ],
};
const decision = { text: '船山区牵头化解烂尾楼信访问题', deciders: ['p-chen'], participants: ['p-zhang', 'p-li'], dissents: [{ personId: 'p-li', opinion: '期限过短，难以落实' }] };

/** A task the decision assigns (a TaskSpec without source: the decision is the source). */
const task = (spec: { id?: string; title: string }) => ({ description: '会议议定事项', leadUnitId: 'chuanshan', coUnitIds: ['zhujianju'], dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), ...spec });

describe('meetings and their decisions over HTTP', () => {
  let api: ApiHarness;
  let base: string;
  let sql: Client;
  let tokens: Record<string, string>;

  const answer = async (response: Response): Promise<Answer> => ({ status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown>, headers: response.headers });
  /** A string body is sent as it is, so that malformed JSON can be tried. */
  const call = async (path: string, body: unknown, as = 'office', headers: Record<string, string> = {}): Promise<Answer> =>
    answer(await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[as]}`, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }));
  const read = async (path: string): Promise<Answer> => answer(await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tokens.unit}` } }));
  const eventsOf = async (meetingId: string): Promise<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[]> =>
    (await sql.query('SELECT type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version', [`meetings.meeting-${meetingId}`])).rows;
  const eventCount = async (): Promise<number> => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n);
  /** Every refusal is problem+json and leaves the log as it was. */
  const refused = async (attempt: () => Promise<Answer>): Promise<Answer> => {
    const before = await eventCount();
    const result = await attempt();
    expect(result.type).toMatch(/^application\/problem\+json/);
    expect(await eventCount()).toBe(before);
    return result;
  };

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_meetings');
    ({ base, sql, tokens } = api);
    await api.as('office', { personId: 'p-office', name: '联席办 王芳', roles: ['office'] });
    await api.as('unit', { personId: 'p-zhang', name: '张伟', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] });
    for (const [id, name] of [['chuanshan', '船山区'], ['zhujianju', '住建局']]) expect((await call('/units', { id, name, kind: 'district' })).status).toBe(201);
  });
  afterAll(async () => api?.stop());

  it('records a meeting: 201 with id, version and position, the actor on record', async () => {
    const held = await call('/meetings', meeting, 'office', { 'x-request-id': 'req-m1' });
    expect(held.status).toBe(201);
    expect(held.body).toEqual({ id: 'plenary-2', version: 1, position: expect.any(Number) });
    expect(held.headers.get('etag')).toBe('"1"');
    const [event] = await eventsOf('plenary-2');
    expect(event).toMatchObject({
      type: 'meetings.meeting-held.v1',
      data: { meetingId: 'plenary-2', kind: 'plenary', convenorId: 'p-chen', heldAt: '2026-03-10T01:00:00.000Z', attendees: [{ personId: 'p-office', name: '联席办主任', unitId: null }, { unitId: 'chuanshan' }, { unitId: 'zhujianju' }] },
    });
    expect(event?.metadata).toMatchObject({ actor: { personId: 'p-office', roles: ['office'] }, requestId: 'req-m1' });
    const unnamed = await call('/meetings', { ...meeting, id: undefined, kind: 'thematic' });
    expect(unnamed.status).toBe(201);
    expect(unnamed.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records a decision with its dissent and task ids, then reads it back in Beijing time', async () => {
    const recorded = await call('/meetings/plenary-2/decisions', { ...decision, tasks: [task({ id: 'task-lanweilou', title: '烂尾楼' }), task({ title: '不动产权证' })] });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toEqual({ id: 'plenary-2', version: 2, position: expect.any(Number), decisionId: expect.stringMatching(/^[0-9a-f-]{36}$/), taskIds: ['task-lanweilou', expect.stringMatching(/^[0-9a-f-]{36}$/)] });
    expect(recorded.headers.get('x-event-position')).toBe(String(recorded.body.position));
    const events = await eventsOf('plenary-2');
    expect(events[1]).toMatchObject({ type: 'meetings.decision-recorded.v1', data: { ...decision, meetingId: 'plenary-2', decisionId: recorded.body.decisionId, taskIds: recorded.body.taskIds } });
    expect(events[1]?.metadata).toMatchObject({ actor: { personId: 'p-office', name: '联席办 王芳' } });

    const view = await read(`/meetings/plenary-2?minPosition=${String(recorded.body.position)}`);
    expect(view.status).toBe(200);
    expect(Number(view.headers.get('x-projection-position'))).toBeGreaterThanOrEqual(Number(recorded.body.position));
    expect(view.body).toEqual({
      id: 'plenary-2',
      title: meeting.title,
      kind: 'plenary',
      convenorId: 'p-chen',
      convenorName: '陈书记',
      heldAt: '2026-03-10T09:00:00.000+08:00',
      attendees: [{ personId: 'p-office', name: '联席办主任', unitId: null }, { personId: 'p-zhang', name: '张伟', unitId: 'chuanshan' }, { personId: 'p-li', name: '李娜', unitId: 'zhujianju' }],
      decisions: [{ decisionId: recorded.body.decisionId, ...decision, taskIds: recorded.body.taskIds, recordedAt: expect.stringMatching(/\+08:00$/) }],
      version: 2,
    });
  });

  it('lets only the office record meetings and decisions (403 for a unit user)', async () => {
    expect(await refused(() => call('/meetings', { ...meeting, id: 'by-unit' }, 'unit'))).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } });
    expect(await refused(() => call('/meetings/plenary-2/decisions', decision, 'unit'))).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } });
  });

  it('answers bad input with 400, 404 or 409 problem details, recording nothing', async () => {
    expect(await refused(() => call('/meetings', '{"title": '))).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
    const missing = await refused(() => call('/meetings', { id: 'm-x', title: '会议' }));
    expect(missing).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((missing.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['attendees', 'convenorId', 'convenorName', 'heldAt', 'kind']);
    const wrong = await refused(() => call('/meetings', { ...meeting, id: 'm-x', title: 'x'.repeat(201), kind: 'party', heldAt: 'tomorrow', attendees: [], extra: 1 }));
    expect((wrong.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['', 'attendees', 'heldAt', 'kind', 'title']);
    const crowd = Array.from({ length: 201 }, (_, i) => ({ personId: `p-${i}`, name: `人${i}` }));
    expect(await refused(() => call('/meetings', { ...meeting, id: 'm-x', attendees: crowd }))).toMatchObject({ status: 400, body: { errors: [{ field: 'attendees' }] } });
    const badDecision = await refused(() => call('/meetings/plenary-2/decisions', { text: 7, deciders: 'p-chen', participants: [], dissents: [{ personId: 'p-li' }], tasks: [{ id: 'bad id!' }] }));
    expect((badDecision.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['deciders', 'dissents.0.opinion', 'tasks.0.description', 'tasks.0.dueAt', 'tasks.0.id', 'tasks.0.leadUnitId', 'tasks.0.title', 'text']);
    expect(await refused(() => call('/meetings/nowhere/decisions', decision))).toMatchObject({ status: 404, body: { code: 'MEETING_NOT_FOUND' } });
    expect(await refused(() => call('/meetings', meeting))).toMatchObject({ status: 409, body: { code: 'MEETING_ALREADY_EXISTS' } });
    expect(await read('/meetings/nowhere')).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/problem\+json/), body: { code: 'MEETING_NOT_FOUND' } });
    expect(await eventsOf('m-x')).toHaveLength(0);
  });

  it('refuses a decision that breaks a rule with 422 and its code, recording nothing', async () => {
    const breach = async (body: object): Promise<Answer> => refused(() => call('/meetings/plenary-2/decisions', { ...decision, ...body }));
    expect(await breach({ deciders: [] })).toMatchObject({ status: 422, body: { code: 'DECIDERS_REQUIRED' } });
    const stranger = await breach({ participants: ['p-zhang', 'p-li', 'p-wang'] });
    expect(stranger).toMatchObject({ status: 422, body: { code: 'DECISION_PERSON_NOT_ATTENDING', errors: [{ field: 'participants.2' }] } });
    expect(String(stranger.body.detail)).toContain('p-wang');
    expect(await breach({ participants: ['p-zhang'] })).toMatchObject({ status: 422, body: { code: 'DISSENTER_NOT_PARTICIPANT' } });
    expect(await breach({ deciders: ['p-chen', 'p-li'] })).toMatchObject({ status: 422, body: { code: 'DISSENTER_IS_DECIDER' } });
    expect(await call('/meetings/plenary-2/decisions', { ...decision, decisionId: 'd-2', dissents: [] })).toMatchObject({ status: 201, body: { decisionId: 'd-2', taskIds: [] } });
    expect(await breach({ decisionId: 'd-2' })).toMatchObject({ status: 409, body: { code: 'DECISION_ALREADY_RECORDED' } });
    expect(await eventsOf('plenary-2')).toHaveLength(3);
  });

  it('documents the meeting endpoints in OpenAPI', async () => {
    const doc = (await (await fetch(`${base.replace('/api/v1', '')}/docs-json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths['/api/v1/meetings']?.post?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '429']);
    expect(Object.keys(doc.paths['/api/v1/meetings/{meetingId}/decisions']?.post?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413', '415', '422', '429']);
    expect(doc.paths['/api/v1/meetings/{meetingId}/decisions']?.post?.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/meetings/{meetingId}']?.get?.responses).toHaveProperty('404');
  });
});

import { PostgresEventStore } from '@app/event-store';
import { uuidv7 } from '@app/shared-kernel';
import { ApiHarness, ok, type Reply } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

const DAY = 86_400_000;

interface Obligation {
  obligationId: string;
  kind: string;
  subjects: string[];
  dueAt: string;
  met: boolean;
  metAt: string | null;
  overdue: boolean;
}

describe('accountability (问责) cases over HTTP: opened on evidence and findings, decided, followed up', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let now: number;
  let taskEvents: string[];
  const at = (days: number): string => new Date(now + days * DAY).toISOString();
  const head = async (): Promise<string> => (await api.sql.query<{ p: string }>('SELECT max(position) AS p FROM events')).rows[0]?.p ?? '0';
  const fresh = async (path: string): Promise<Record<string, unknown>> => ok(await api.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${await head()}`, 'inspector')).body;
  /** Every refusal is problem+json and leaves the log as it was. */
  const refused = async (attempt: () => Promise<Reply>): Promise<Reply> => {
    const before = await api.eventCount();
    const reply = await attempt();
    expect(reply.contentType).toMatch(/^application\/problem\+json/);
    expect(await api.eventCount()).toBe(before);
    return reply;
  };
  const fields = (reply: Reply): string[] => [...new Set((reply.body.errors ?? []).map((e) => e.field))].sort();
  const subjects = [
    { personId: 'p-li', unitId: 'chuanshan', liability: 'direct' },
    { personId: 'p-zhang', liability: 'leadership' },
    { unitId: 'chuanshan', liability: 'leadership' },
  ];

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_accountability', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('admin', { personId: 'p-admin', name: '管理员', roles: ['admin'] });
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    await api.as('unit', { personId: 'p-cq', name: '船山区 陈强', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] });
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] });
    now = Date.parse(String(ok(await api.get('/dev/clock', 'office')).body.now));
    ok(await api.post('/units', 'admin', { id: 'chuanshan', name: '船山区', kind: 'district' }), 201);
    ok(await api.post('/tasks', 'office', { id: 't-lanwei', title: '烂尾楼复工', description: '推动项目复工交房', source: { kind: 'upper_level' }, leadUnitId: 'chuanshan', dueAt: at(20) }), 201);
    ok(await api.post('/tasks/t-lanwei/sign-for', 'unit'));
    taskEvents = (await api.sql.query<{ id: string }>('SELECT event_id::text AS id FROM events WHERE stream_id = $1 ORDER BY stream_version', ['supervision.task-t-lanwei'])).rows.map((r) => r.id);
    // A finding as the detector records it, about another task: written straight to the store.
    const store = new PostgresEventStore({ connectionString: api.db.url });
    const metadata = { actor: { personId: 'system', name: 'system', unitId: null, roles: [] }, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: at(0) };
    const data = { findingId: 'f-overdue', rule: 'task_overdue', taskId: 't-wuye', caseId: null, unitId: 'chuanshan', people: [{ personId: 'p-li', name: '李娜', unitId: 'chuanshan', role: 'handler' }], evidence: [taskEvents[0]], at: at(0), detectedAt: at(0), detail: '逾期未办结' };
    await store.append('findings.finding-f-overdue', [{ eventId: uuidv7(), type: 'findings.finding-detected.v1', schemaVersion: 1, data, metadata }], 'no_stream');
    await store.close();
  });
  afterAll(async () => api?.stop());

  it('opens a case from a task’s evidence events and a finding: 201, the tasks on record, the finding taken up', async () => {
    const forbidden = await refused(async () => ok(await api.post('/accountability-cases', 'admin', { title: 'x', evidenceEventIds: taskEvents, subjects }), 403));
    expect(forbidden.body.code).toBe('ROLE_FORBIDDEN');
    const reply = ok(await api.post('/accountability-cases', 'inspector', { id: 'case-1', title: '烂尾楼督办逾期问责', findingIds: ['f-overdue'], evidenceEventIds: [taskEvents[1]?.toUpperCase()], subjects }), 201);
    expect(reply.body).toEqual({ id: 'case-1', version: 1, position: expect.any(Number) });
    expect(reply.headers.get('etag')).toBe('"1"');
    const [event] = await api.events('accountability.case-case-1');
    expect(event).toMatchObject({
      type: 'accountability.case-opened.v1',
      data: { caseId: 'case-1', findingIds: ['f-overdue'], evidenceEventIds: [taskEvents[1]], taskIds: ['t-wuye', 't-lanwei'], subjects: [{ personId: 'p-li', unitId: 'chuanshan', liability: 'direct' }, { personId: 'p-zhang', unitId: null }, { personId: null, unitId: 'chuanshan' }] },
      metadata: { actor: { personId: 'p-jj' } },
    });
    const finding = await api.events('findings.finding-f-overdue');
    expect(finding.map((e) => [e.type, e.data.caseId])).toEqual([
      ['findings.finding-detected.v1', null],
      ['findings.finding-taken-up.v1', 'case-1'],
    ]);
    // The position answered covers the taken-up event too, so minPosition reads see both.
    const takenUp = (await api.sql.query<{ p: string }>(`SELECT position AS p FROM events WHERE type = 'findings.finding-taken-up.v1'`)).rows[0]?.p;
    expect(reply.body.position).toBe(Number(takenUp));

    const view = await fresh('/accountability-cases/case-1');
    expect(view).toMatchObject({ id: 'case-1', title: '烂尾楼督办逾期问责', taskIds: ['t-wuye', 't-lanwei'], openedBy: { personId: 'p-jj', name: '纪检 周' }, decisions: [], obligations: [], followUps: [], version: 1 });
    expect(String(view.openedAt)).toMatch(/\+08:00$/);
    const byTask = ok(await api.get('/accountability-cases?taskId=t-lanwei', 'inspector')).body;
    expect(byTask).toMatchObject({ items: [{ id: 'case-1' }], nextCursor: null });
    expect(ok(await api.get('/accountability-cases?taskId=t-other', 'inspector')).body).toEqual({ items: [], nextCursor: null });
  });

  it('records a decision with reassignment and admonition: two obligations due one month later, then a follow-up meets one', async () => {
    const decided = ok(await api.post('/accountability-cases/case-1/decisions', 'inspector', { decisionId: 'd-1', forms: ['reassignment', 'admonition'], subjects: ['p-li', 'p-zhang'], basis: '《中国共产党问责条例》第八条', decidedAt: at(-1) }));
    expect(decided.body).toEqual({ id: 'case-1', version: 2, position: expect.any(Number), decisionId: 'd-1' });
    const decisionRow = (await api.sql.query<{ id: string; occurred: string }>(`SELECT event_id::text AS id, metadata->>'occurredAt' AS occurred FROM events WHERE stream_id = 'accountability.case-case-1' AND stream_version = 2`)).rows[0];
    const decisionEvent = decisionRow?.id;
    // Entered today, decided yesterday: the timeline's business time is the day it was decided.
    expect(Date.parse(decisionRow?.occurred ?? '')).toBe(Date.parse(at(-1)));

    let view = await fresh('/accountability-cases/case-1');
    expect(view.decisions).toEqual([{ decisionId: 'd-1', eventId: decisionEvent, forms: ['reassignment', 'admonition'], subjects: ['p-li', 'p-zhang'], basis: '《中国共产党问责条例》第八条', decidedAt: expect.stringMatching(/\+08:00$/) }]);
    const obligations = view.obligations as Obligation[];
    expect(obligations.map((o) => [o.kind, o.subjects, o.met, o.overdue])).toEqual([
      ['measure_completed', ['p-li', 'p-zhang'], false, false],
      ['self_criticism_filed', ['p-li', 'p-zhang'], false, false],
    ]);
    // One calendar month after decidedAt (yesterday): 28 to 31 days later, at the same time of day.
    const afterDecision = obligations.map((o) => (Date.parse(o.dueAt) - (now - DAY)) / DAY);
    expect(afterDecision.every((days) => Number.isInteger(days) && days >= 28 && days <= 31)).toBe(true);
    expect(obligations[0]?.dueAt).toBe(obligations[1]?.dueAt);

    const followed = ok(await api.post('/accountability-cases/case-1/follow-ups', 'inspector', { kind: 'measure_completed', note: '李娜已调整岗位' }));
    expect(followed.body).toEqual({ id: 'case-1', version: 3, position: expect.any(Number), followUpId: expect.any(String), obligationId: 'd-1-measure_completed', late: false });
    view = await fresh('/accountability-cases/case-1');
    expect((view.obligations as Obligation[]).map((o) => [o.kind, o.met, o.metAt !== null])).toEqual([
      ['measure_completed', true, true],
      ['self_criticism_filed', false, false],
    ]);
    expect(view.followUps).toEqual([{ followUpId: followed.body.followUpId, kind: 'measure_completed', note: '李娜已调整岗位', obligationId: 'd-1-measure_completed', at: expect.stringMatching(/\+08:00$/), late: false }]);
  });

  it('shows an unmet obligation overdue after its month, and still accepts the self-criticism, marked late', async () => {
    ok(await api.post('/dev/clock', 'office', { advance: 'P40D' }));
    const overdue = ((await fresh('/accountability-cases/case-1')).obligations as Obligation[]).map((o) => [o.kind, o.overdue]);
    expect(overdue).toEqual([
      ['measure_completed', false],
      ['self_criticism_filed', true],
    ]);
    const late = ok(await api.post('/accountability-cases/case-1/follow-ups', 'inspector', { kind: 'self_criticism_filed', note: '已提交书面检讨', obligationId: 'd-1-self_criticism_filed' }));
    expect(late.body).toMatchObject({ obligationId: 'd-1-self_criticism_filed', late: true });
    const view = await fresh('/accountability-cases/case-1');
    expect((view.obligations as Obligation[]).every((o) => o.met && !o.overdue)).toBe(true);
  });

  it('lets only inspectors in: office, unit and admin get 403 on every endpoint, recording nothing', async () => {
    for (const who of ['office', 'unit', 'admin']) {
      const replies = [
        await refused(() => api.post('/accountability-cases', who, { title: '问责', evidenceEventIds: taskEvents, subjects })),
        await refused(() => api.post('/accountability-cases/case-1/decisions', who, { forms: ['circular'], subjects: ['p-li'], basis: '通报' })),
        await refused(() => api.post('/accountability-cases/case-1/follow-ups', who, { kind: 'other', note: '回访' })),
        await api.get('/accountability-cases/case-1', who),
        await api.get('/accountability-cases', who),
      ];
      expect(replies.map((r) => [r.status, r.body.code])).toEqual(Array.from({ length: 5 }, () => [403, 'ROLE_FORBIDDEN']));
    }
  });

  it('answers bad input with 4xx problem details and records nothing', async () => {
    expect(await refused(() => api.post('/accountability-cases', 'inspector', '{"title": '))).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
    const wrong = await refused(() => api.post('/accountability-cases', 'inspector', { title: 7, findingIds: 'f-overdue', evidenceEventIds: ['not-an-event'], subjects: [{ personId: 'p-li', liability: 'guilty' }], extra: true }));
    expect(wrong.status).toBe(400);
    expect(fields(wrong)).toEqual(['', 'evidenceEventIds.0', 'findingIds', 'subjects.0.liability', 'title']);
    const long = await refused(() => api.post('/accountability-cases', 'inspector', { title: '长'.repeat(201), evidenceEventIds: taskEvents, subjects }));
    expect([long.status, fields(long)]).toEqual([400, ['title']]);
    const bigBasis = await refused(() => api.post('/accountability-cases/case-1/decisions', 'inspector', { forms: ['circular'], subjects: ['p-li'], basis: 'x'.repeat(2001), decidedAt: 'yesterday' }));
    expect([bigBasis.status, fields(bigBasis)]).toEqual([400, ['basis', 'decidedAt']]);
    const badFollowUp = await refused(() => api.post('/accountability-cases/case-1/follow-ups', 'inspector', { kind: 'done', note: '' }));
    expect([badFollowUp.status, fields(badFollowUp)]).toEqual([400, ['kind', 'note']]);
    expect((await refused(() => api.post('/accountability-cases', 'inspector', { title: '问责', evidenceEventIds: taskEvents, subjects: [], extra: 'x'.repeat(110_000) }))).status).toBe(413);
  });

  it('refuses unknown findings and events, cases without grounds or subjects, and decisions outside the rules with 404, 409 or 422', async () => {
    const open = (body: Record<string, unknown>) => refused(() => api.post('/accountability-cases', 'inspector', { title: '问责', subjects, ...body }));
    expect(await open({ findingIds: ['f-overdue', 'f-nowhere'] })).toMatchObject({ status: 422, body: { code: 'UNKNOWN_FINDING', errors: [{ field: 'findingIds.1' }] } });
    expect(await open({ evidenceEventIds: [...taskEvents, uuidv7()] })).toMatchObject({ status: 422, body: { code: 'UNKNOWN_EVIDENCE_EVENT', errors: [{ field: `evidenceEventIds.${taskEvents.length}` }] } });
    expect(await open({})).toMatchObject({ status: 422, body: { code: 'GROUNDS_REQUIRED' } });
    expect(await open({ evidenceEventIds: taskEvents, subjects: [] })).toMatchObject({ status: 422, body: { code: 'SUBJECTS_REQUIRED' } });
    expect(await open({ evidenceEventIds: taskEvents, subjects: [{ liability: 'direct' }] })).toMatchObject({ status: 422, body: { code: 'SUBJECT_NEEDS_PERSON_OR_UNIT' } });
    expect(await open({ id: 'case-1', evidenceEventIds: taskEvents })).toMatchObject({ status: 409, body: { code: 'CASE_ALREADY_EXISTS' } });

    const decide = (path: string, body: Record<string, unknown>) => refused(() => api.post(path, 'inspector', { forms: ['circular'], subjects: ['p-li'], basis: '通报', ...body }));
    expect(await decide('/accountability-cases/nowhere/decisions', {})).toMatchObject({ status: 404, body: { code: 'CASE_NOT_FOUND' } });
    expect(await decide('/accountability-cases/case-1/decisions', { subjects: ['p-li', 'p-stranger'] })).toMatchObject({ status: 422, body: { code: 'DECISION_SUBJECT_NOT_IN_CASE', errors: [{ field: 'subjects.1' }] } });
    expect(await decide('/accountability-cases/case-1/decisions', { decidedAt: at(100) })).toMatchObject({ status: 422, body: { code: 'DECIDED_IN_FUTURE' } });
    expect(await decide('/accountability-cases/case-1/decisions', { forms: [] })).toMatchObject({ status: 422, body: { code: 'FORMS_REQUIRED' } });
    expect(await decide('/accountability-cases/case-1/decisions', { decisionId: 'd-1' })).toMatchObject({ status: 409, body: { code: 'DECISION_ALREADY_RECORDED' } });
    const follow = (path: string, body: Record<string, unknown>) => refused(() => api.post(path, 'inspector', { note: '回访', ...body }));
    expect(await follow('/accountability-cases/nowhere/follow-ups', { kind: 'other' })).toMatchObject({ status: 404, body: { code: 'CASE_NOT_FOUND' } });
    expect(await follow('/accountability-cases/case-1/follow-ups', { kind: 'measure_completed' })).toMatchObject({ status: 422, body: { code: 'NO_OPEN_OBLIGATION' } });
    expect(await follow('/accountability-cases/case-1/follow-ups', { kind: 'measure_completed', obligationId: 'd-1-measure_completed' })).toMatchObject({ status: 409, body: { code: 'OBLIGATION_ALREADY_MET' } });
    expect(await refused(() => api.post('/accountability-cases/case-1/follow-ups', 'inspector', { kind: 'other', note: '回访' }, { 'if-match': '"1"' }))).toMatchObject({ status: 412, body: { code: 'VERSION_MISMATCH' } });
    expect(await api.get('/accountability-cases/nowhere', 'inspector')).toMatchObject({ status: 404, body: { code: 'CASE_NOT_FOUND' } });
    expect(await api.get('/accountability-cases?cursor=bm9wZQ', 'inspector')).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
  });

  it('pages the list with limit and cursor, in the order cases were opened', async () => {
    ok(await api.post('/accountability-cases', 'inspector', { id: 'case-2', title: '物业管理问责', evidenceEventIds: taskEvents, subjects: [{ unitId: 'chuanshan', liability: 'leadership' }] }), 201);
    const first = await fresh('/accountability-cases?limit=1');
    expect((first.items as { id: string }[]).map((c) => c.id)).toEqual(['case-1']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = ok(await api.get(`/accountability-cases?limit=1&cursor=${String(first.nextCursor)}`, 'inspector')).body;
    expect([(second.items as { id: string }[]).map((c) => c.id), second.nextCursor]).toEqual([['case-2'], null]);
  });

  it('serves every reply as the OpenAPI document at /docs-json describes it', () => {
    expect(contract.violations).toEqual([]);
  });
});

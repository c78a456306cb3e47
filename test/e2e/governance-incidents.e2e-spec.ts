import { ApiHarness, ok, type Reply } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Target {
  id: string;
  unitId: string;
  metric: string;
  year: number;
  limit: number;
  used: number;
  ratio: number | null;
  warnings: number[];
  limitHistory: { limit: number; previousLimit: number | null }[];
  warningHistory: { threshold: number; cause: string; causeEventId: string; incidentId: string | null }[];
}
interface Warning {
  unitId: string;
  metric: string;
  year: number;
  threshold: number;
  used: number;
  limit: number;
  cause: string;
  causeEventId: string;
  incidentId: string | null;
}

describe('governance: incidents against control targets, recommendations and interviews', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let now: number;
  let year: number;
  /** The latest position written, so that reads wait for the read models to reach it. */
  let position = 0;
  const at = (hours: number): string => new Date(now + hours * HOUR).toISOString();
  const wrote = (reply: Reply, status = 201): Reply => {
    ok(reply, status);
    position = Math.max(position, Number(reply.body.position));
    return reply;
  };
  const read = async (path: string, who = 'office'): Promise<Reply> => api.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, who);
  const items = async <T>(path: string, who = 'office'): Promise<T[]> => ok(await read(path, who)).body.items as T[];
  const incident = (id: string, unitId: string, persons: number, extra: Record<string, unknown> = {}) =>
    api.post('/incidents', 'office', { id, unitId, kind: 'beijing_visit', persons, occurredAt: at(-2), summary: `${persons}人进京非访`, ...extra });
  const warnings = async (unitId: string): Promise<Warning[]> =>
    (await api.sql.query<{ data: Warning }>(`SELECT data FROM events WHERE type = 'governance.control-target-warning-raised.v1' AND data->>'unitId' = $1 ORDER BY position`, [unitId])).rows.map((r) => r.data);
  const incidentEventId = async (incidentId: string): Promise<string | undefined> =>
    (await api.sql.query<{ id: string }>(`SELECT event_id::text AS id FROM events WHERE type = 'governance.incident-recorded.v1' AND data->>'incidentId' = $1`, [incidentId])).rows[0]?.id;
  const refused = (request: () => Promise<Reply>, status: number, code: string): Promise<Reply> => api.refused(request, status, code);

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_incidents', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    await api.as('officeLead', { personId: 'p-ld', name: '联席办主任 李东', roles: ['office', 'office_lead'] });
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] });
    await api.as('hedong', { personId: 'p-hd', name: '河东新区 刘伟', unitId: 'hedong', roles: ['unit'] });
    await api.as('hedongLead', { personId: 'p-hdl', name: '河东新区 陈强', unitId: 'hedong', roles: ['unit', 'unit_lead'] });
    await api.as('chuanshanLead', { personId: 'p-csl', name: '船山区 赵敏', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] });
    // Mid-June of next year: every time below stays inside one Beijing calendar year.
    year = new Date().getUTCFullYear() + 1;
    now = Date.parse(String(ok(await api.post('/dev/clock', 'office', { set: `${year}-06-15T02:00:00.000Z` })).body.now));
    for (const [id, name, kind] of [['hedong', '河东新区', 'zone'], ['chuanshan', '船山区', 'district'], ['zhujian', '住建局', 'department']]) {
      ok(await api.post('/units', 'office', { id, name, kind }), 201);
    }
  });
  afterAll(async () => api?.stop());

  it('warns once when incidents push a unit past 50% and once past 100% of its target, naming the incident that crossed each', async () => {
    expect(wrote(await api.post('/control-targets', 'office', { unitId: 'hedong', metric: 'beijing_visit', year, limit: 4 })).body).toMatchObject({ id: `hedong-beijing_visit-${year}`, version: 1, warningsRaised: [] });
    expect(wrote(await incident('i-1', 'hedong', 1)).body.warningsRaised).toEqual([]);
    expect(wrote(await incident('i-2', 'hedong', 1)).body).toMatchObject({ id: 'i-2', warningsRaised: [0.5] });
    expect(wrote(await incident('i-3', 'hedong', 1)).body.warningsRaised).toEqual([]);
    expect(wrote(await incident('i-4', 'hedong', 2)).body.warningsRaised).toEqual([1]);

    expect(await warnings('hedong')).toEqual([
      { unitId: 'hedong', metric: 'beijing_visit', year, threshold: 0.5, used: 2, limit: 4, cause: 'incident', causeEventId: await incidentEventId('i-2'), incidentId: 'i-2', raisedAt: expect.any(String) },
      { unitId: 'hedong', metric: 'beijing_visit', year, threshold: 1, used: 5, limit: 4, cause: 'incident', causeEventId: await incidentEventId('i-4'), incidentId: 'i-4', raisedAt: expect.any(String) },
    ]);
    const [target, ...others] = await items<Target>(`/control-targets?year=${year}`);
    expect(others).toEqual([]);
    expect(target).toMatchObject({ unitId: 'hedong', metric: 'beijing_visit', year, limit: 4, used: 5, ratio: 1.25, warnings: [0.5, 1] });
    expect(target?.warningHistory.map((w) => [w.threshold, w.incidentId])).toEqual([
      [0.5, 'i-2'],
      [1, 'i-4'],
    ]);
  });

  it('records an incident once: a retry with its Idempotency-Key answers as before, the same id again is a conflict', async () => {
    const body = { id: 'i-5', unitId: 'hedong', kind: 'beijing_visit', persons: 1, occurredAt: at(-1), summary: '1人进京非访' };
    const first = wrote(await api.post('/incidents', 'office', body, { 'Idempotency-Key': 'incident-i-5' }));
    const before = await api.eventCount();
    expect((await api.post('/incidents', 'office', body, { 'Idempotency-Key': 'incident-i-5' })).body).toEqual(first.body);
    expect(await api.eventCount()).toBe(before);
    await refused(() => api.post('/incidents', 'office', body), 409, 'INCIDENT_ALREADY_RECORDED');
    // The same id under another unit or kind lands in another target's stream, and is still refused.
    await refused(() => api.post('/incidents', 'office', { ...body, unitId: 'chuanshan', kind: 'collective_visit' }), 409, 'INCIDENT_ALREADY_RECORDED');
    expect((await warnings('hedong')).map((w) => w.threshold)).toEqual([0.5, 1]);
  });

  it('keeps every limit set, records nothing for the same limit, and warns at once when a lowered limit crosses a threshold', async () => {
    // 6 used of 12: 50% still crossed, 100% no longer (re-armed).
    expect(wrote(await api.post('/control-targets', 'office', { unitId: 'hedong', metric: 'beijing_visit', year, limit: 12 })).body.warningsRaised).toEqual([]);
    const before = await api.eventCount();
    expect(ok(await api.post('/control-targets', 'office', { unitId: 'hedong', metric: 'beijing_visit', year, limit: 12 }), 201).body.warningsRaised).toEqual([]);
    expect(await api.eventCount()).toBe(before);
    expect((await items<Target>(`/control-targets?year=${year}&unitId=hedong`))[0]).toMatchObject({ limit: 12, used: 6, ratio: 0.5, warnings: [0.5] });

    const lowered = wrote(await api.post('/control-targets', 'office', { unitId: 'hedong', metric: 'beijing_visit', year, limit: 6 }));
    expect(lowered.body.warningsRaised).toEqual([1]);
    const limitEvent = (await api.sql.query<{ id: string }>(`SELECT event_id::text AS id FROM events WHERE type = 'governance.control-target-set.v1' AND (data->>'limit')::int = 6`)).rows[0]?.id;
    expect((await warnings('hedong')).slice(2)).toEqual([expect.objectContaining({ threshold: 1, used: 6, limit: 6, cause: 'limit', causeEventId: limitEvent, incidentId: null })]);
    const [target] = await items<Target>(`/control-targets?year=${year}&unitId=hedong`);
    expect(target).toMatchObject({ limit: 6, used: 6, ratio: 1, warnings: [0.5, 1] });
    expect(target?.limitHistory.map((l) => [l.previousLimit, l.limit])).toEqual([
      [null, 4],
      [4, 12],
      [12, 6],
    ]);
  });

  it('records each warning once when two api processes record incidents of one target at the same moment', async () => {
    const second = await api.boot({ CLOCK_MODE: 'manual' });
    ok(await api.send('POST', '/dev/clock', 'office', { set: new Date(now).toISOString() }, {}, second));
    wrote(await api.post('/control-targets', 'office', { unitId: 'chuanshan', metric: 'skip_level_visit', year, limit: 4 }));
    const replies = await Promise.all(
      ['r-1', 'r-2', 'r-3', 'r-4'].map((id, i) =>
        api.send('POST', '/incidents', 'office', { id, unitId: 'chuanshan', kind: 'skip_level_visit', persons: 1, occurredAt: at(-3), summary: '越级访' }, {}, i % 2 === 0 ? api.base : second),
      ),
    );
    replies.forEach((r) => wrote(r));
    expect(replies.flatMap((r) => r.body.warningsRaised as number[]).sort()).toEqual([0.5, 1]);
    expect((await warnings('chuanshan')).map((w) => [w.threshold, w.used])).toEqual([
      [0.5, 2],
      [1, 4],
    ]);
    expect((await items<Target>(`/control-targets?year=${year}&unitId=chuanshan`))[0]).toMatchObject({ used: 4, ratio: 1, warnings: [0.5, 1] });
  });

  it('lists incidents by unit, year and kind with occurrence and report times; a unit sees only its own', async () => {
    // Reported 30 hours after it occurred (迟报): both times are kept as given.
    wrote(await incident('i-late', 'hedong', 3, { kind: 'collective_visit', occurredAt: at(-31), reportedAt: at(-1) }));
    const late = await items<Record<string, unknown>>(`/incidents?unitId=hedong&year=${year}&kind=collective_visit`, 'inspector');
    expect(late).toEqual([expect.objectContaining({ id: 'i-late', persons: 3, year, occurredAt: expect.stringMatching(/\+08:00$/), reportedAt: expect.stringMatching(/\+08:00$/) })]);
    expect(Date.parse(String(late[0]?.reportedAt)) - Date.parse(String(late[0]?.occurredAt))).toBe(30 * HOUR);

    const own = await items<{ id: string; unitId: string }>('/incidents', 'hedong');
    expect(own.map((i) => i.unitId).every((u) => u === 'hedong')).toBe(true);
    expect(own.map((i) => i.id).sort()).toEqual(['i-1', 'i-2', 'i-3', 'i-4', 'i-5', 'i-late']);
    expect((await items<{ id: string }>(`/incidents?year=${year - 1}`)).map((i) => i.id)).toEqual([]);
    expect(await read('/incidents?unitId=chuanshan', 'hedong')).toMatchObject({ status: 403, body: { code: 'NOT_YOUR_UNIT' } });
    expect(await read('/control-targets?unitId=chuanshan', 'hedongLead')).toMatchObject({ status: 403, body: { code: 'NOT_YOUR_UNIT' } });
    expect((await items<Target>('/control-targets', 'hedong')).map((t) => t.id)).toEqual([`hedong-beijing_visit-${year}`]);
  });

  it('takes one written answer to a recommendation from the addressed unit’s lead, and shows the unanswered one overdue', async () => {
    wrote(await api.post('/recommendations', 'office', { id: 'rec-work', unitId: 'hedong', kind: 'improve_work', text: '建立烂尾楼化解台账', answerDueAt: at(7 * 24) }));
    wrote(await api.post('/recommendations', 'office', { id: 'rec-acc', unitId: 'hedong', kind: 'accountability', text: '追究相关人员责任', answerDueAt: at(3 * 24) }));
    await refused(() => api.post('/recommendations/rec-work/answer', 'hedong', { text: '采纳', adopted: true }), 403, 'ROLE_FORBIDDEN');
    await refused(() => api.post('/recommendations/rec-work/answer', 'chuanshanLead', { text: '采纳', adopted: true }), 403, 'NOT_YOUR_UNIT');
    await refused(() => api.post('/recommendations/nope/answer', 'hedongLead', { text: '采纳', adopted: true }), 404, 'RECOMMENDATION_NOT_FOUND');
    expect(wrote(await api.post('/recommendations/rec-work/answer', 'hedongLead', { text: '已采纳，建立台账', adopted: true }), 200).body).toMatchObject({ id: 'rec-work', version: 2, late: false });
    await refused(() => api.post('/recommendations/rec-work/answer', 'hedongLead', { text: '改为不采纳', adopted: false }), 409, 'RECOMMENDATION_ALREADY_ANSWERED');

    ok(await api.post('/dev/clock', 'office', { advance: 'P4D' }));
    const answered = ok(await read('/recommendations/rec-work', 'inspector')).body;
    expect(answered).toMatchObject({ unitId: 'hedong', kind: 'improve_work', open: false, overdue: false, answer: { text: '已采纳，建立台账', adopted: true, late: false, answeredBy: { personId: 'p-hdl' } } });
    expect((await items<{ id: string; overdue: boolean; answer: unknown }>('/recommendations?open=true', 'hedong')).map((r) => [r.id, r.overdue, r.answer])).toEqual([['rec-acc', true, null]]);
    expect((await items<{ id: string }>('/recommendations?unitId=hedong&open=false')).map((r) => r.id)).toEqual(['rec-work']);
    expect(await read('/recommendations/rec-work', 'chuanshanLead')).toMatchObject({ status: 403, body: { code: 'NOT_YOUR_UNIT' } });
    expect(await read('/recommendations?unitId=hedong', 'chuanshanLead')).toMatchObject({ status: 403, body: { code: 'NOT_YOUR_UNIT' } });
    expect((await read('/recommendations/nope')).status).toBe(404);
  });

  it('accepts an answer after the deadline and marks it late', async () => {
    wrote(await api.post('/recommendations', 'officeLead', { id: 'rec-policy', unitId: 'hedong', kind: 'improve_policy', text: '完善不动产权证办理政策', answerDueAt: new Date(now + 5 * DAY).toISOString() }));
    ok(await api.post('/dev/clock', 'office', { advance: 'P2D' }));
    expect(wrote(await api.post('/recommendations/rec-policy/answer', 'hedongLead', { text: '暂不采纳：权限在省级', adopted: false }), 200).body.late).toBe(true);
    expect(ok(await read('/recommendations/rec-policy')).body).toMatchObject({ open: false, answer: { adopted: false, late: true } });
  });

  it('records an interview on a finding by the office lead, and the unit’s lead reports the rectification done', async () => {
    const clock = Date.parse(String(ok(await api.get('/dev/clock', 'office')).body.now));
    ok(await api.post('/tasks', 'office', { id: 't-hd', title: '化解烂尾楼信访', description: '河东新区烂尾楼', source: { kind: 'upper_level' }, leadUnitId: 'hedong', dueAt: new Date(clock + DAY).toISOString() }), 201);
    ok(await api.post('/tasks/t-hd/sign-for', 'hedong'));
    ok(await api.post('/dev/clock', 'office', { advance: 'P2D' }));
    const [finding] = await items<{ id: string }>('/findings?taskId=t-hd&rule=task_overdue', 'inspector');
    expect(finding).toBeDefined();
    const due = new Date(clock + 30 * DAY).toISOString();
    const body = { id: 'iv-1', unitId: 'hedong', personIds: ['p-hdl'], reason: '督办任务逾期', findings: [finding?.id], rectificationDueAt: due };
    await refused(() => api.post('/interviews', 'office', body), 403, 'ROLE_FORBIDDEN');
    await refused(() => api.post('/interviews', 'officeLead', { ...body, findings: ['no-such-finding'] }), 422, 'UNKNOWN_FINDING');
    await refused(() => api.post('/interviews', 'officeLead', { ...body, unitId: 'nowhere' }), 422, 'UNKNOWN_UNIT');
    await refused(() => api.post('/interviews', 'officeLead', { ...body, personIds: [] }), 422, 'PERSONS_REQUIRED');
    await refused(() => api.post('/interviews', 'officeLead', { ...body, rectificationDueAt: new Date(clock).toISOString() }), 422, 'RECTIFICATION_DUE_IN_PAST');
    expect(wrote(await api.post('/interviews', 'officeLead', body)).body).toMatchObject({ id: 'iv-1', version: 1 });
    wrote(await api.post('/interviews', 'officeLead', { ...body, id: 'iv-2', findings: [], reason: '连续两期通报排名末位' }));
    await refused(() => api.post('/interviews', 'officeLead', body), 409, 'INTERVIEW_ALREADY_EXISTS');

    await refused(() => api.post('/interviews/iv-1/rectification', 'chuanshanLead', { note: '已整改' }), 403, 'NOT_YOUR_UNIT');
    await refused(() => api.post('/interviews/iv-1/rectification', 'hedong', { note: '已整改' }), 403, 'ROLE_FORBIDDEN');
    expect(wrote(await api.post('/interviews/iv-1/rectification', 'hedongLead', { note: '已建立台账，完成整改' }), 200).body).toMatchObject({ id: 'iv-1', version: 2, late: false });
    await refused(() => api.post('/interviews/iv-1/rectification', 'hedongLead', { note: '再次报告' }), 409, 'RECTIFICATION_ALREADY_REPORTED');

    expect(ok(await read('/interviews/iv-1', 'hedong')).body).toMatchObject({ unitId: 'hedong', personIds: ['p-hdl'], findingIds: [finding?.id], open: false, rectification: { note: '已建立台账，完成整改', late: false, reportedBy: { personId: 'p-hdl' } } });
    expect((await items<{ id: string; open: boolean }>('/interviews?unitId=hedong', 'inspector')).map((i) => [i.id, i.open])).toEqual([
      ['iv-2', true],
      ['iv-1', false],
    ]);
    expect(await read('/interviews/iv-1', 'chuanshanLead')).toMatchObject({ status: 403, body: { code: 'NOT_YOUR_UNIT' } });
  });

  it('refuses wrong roles, bad bodies and filters, unknown units and impossible times with problem+json, recording nothing', async () => {
    const good = { unitId: 'hedong', kind: 'beijing_visit', persons: 1, occurredAt: at(-1), summary: '进京' };
    await refused(() => api.post('/incidents', 'hedong', good), 403, 'ROLE_FORBIDDEN');
    await refused(() => api.post('/incidents', 'inspector', good), 403, 'ROLE_FORBIDDEN');
    await refused(() => api.post('/control-targets', 'hedongLead', { unitId: 'hedong', metric: 'beijing_visit', year, limit: 100 }), 403, 'ROLE_FORBIDDEN');
    await refused(() => api.post('/recommendations', 'hedongLead', { unitId: 'hedong', kind: 'improve_work', text: 'x', answerDueAt: at(240) }), 403, 'ROLE_FORBIDDEN');
    const badPersons = await refused(() => api.post('/incidents', 'office', { ...good, persons: 0 }), 400, 'VALIDATION_FAILED');
    expect(badPersons.body.errors?.map((e) => e.field)).toEqual(['persons']);
    await refused(() => api.post('/incidents', 'office', { ...good, kind: 'riot', occurredAt: 'yesterday' }), 400, 'VALIDATION_FAILED');
    await refused(() => api.post('/incidents', 'office', { ...good, reportedAt: at(-50) }), 422, 'REPORTED_BEFORE_OCCURRED');
    await refused(() => api.post('/incidents', 'office', { ...good, reportedAt: at(500) }), 422, 'REPORTED_IN_FUTURE');
    await refused(() => api.post('/incidents', 'office', { ...good, occurredAt: at(500) }), 422, 'OCCURRED_IN_FUTURE');
    await refused(() => api.post('/incidents', 'office', { ...good, unitId: 'nowhere' }), 422, 'UNKNOWN_UNIT');
    await refused(() => api.post('/control-targets', 'office', { unitId: 'hedong', metric: 'beijing_visit', year, limit: -1 }), 400, 'VALIDATION_FAILED');
    await refused(() => api.post('/control-targets', 'office', { unitId: 'hedong', metric: 'petitions', year: 99, limit: 3 }), 400, 'VALIDATION_FAILED');
    await refused(() => api.post('/control-targets', 'office', { unitId: 'nowhere', metric: 'beijing_visit', year, limit: 3 }), 422, 'UNKNOWN_UNIT');
    await refused(() => api.post('/recommendations', 'office', { unitId: 'hedong', kind: 'improve_work', text: '改进', answerDueAt: at(-1) }), 422, 'ANSWER_DUE_IN_PAST');
    await refused(() => api.post('/recommendations', 'office', { unitId: 'nowhere', kind: 'improve_work', text: '改进', answerDueAt: at(2400) }), 422, 'UNKNOWN_UNIT');
    await refused(() => api.post('/recommendations', 'office', { unitId: 'hedong', kind: 'advice', text: '', answerDueAt: at(240) }), 400, 'VALIDATION_FAILED');
    await refused(() => api.post('/recommendations/rec-acc/answer', 'hedongLead', { text: '采纳' }), 400, 'VALIDATION_FAILED');
    expect(await read('/incidents?year=26')).toMatchObject({ status: 400, body: { code: 'INVALID_FILTER', errors: [{ field: 'year' }] } });
    expect(await read('/incidents?kind=riot')).toMatchObject({ status: 400, body: { code: 'INVALID_FILTER', errors: [{ field: 'kind' }] } });
    expect(await read('/recommendations?open=maybe')).toMatchObject({ status: 400, body: { code: 'INVALID_FILTER' } });
    expect((await read('/control-targets?cursor=bogus')).status).toBe(400);
  });

  it('answered every request of this journey as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

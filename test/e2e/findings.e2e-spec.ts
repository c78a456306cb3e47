import { ApiHarness, ok } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

const DAY = 86_400_000;

interface Person {
  personId: string;
  role: string;
}
interface Finding {
  id: string;
  rule: string;
  taskId: string | null;
  unitId: string | null;
  personIds: string[];
  people: Person[];
  evidence: string[];
  at: string;
  detectedAt: string;
  status: string;
  caseIds: string[];
}

describe('findings: detected from the recorded history, naming who was in charge at the time', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let now: number;
  const at = (days: number): string => new Date(now + days * DAY).toISOString();
  const findings = async (query: string, who = 'inspector'): Promise<Finding[]> => (ok(await api.get(`/findings${query}`, who)).body.items as Finding[]);
  const eventIds = async (streamId: string): Promise<Map<string, string>> => {
    const { rows } = await api.sql.query<{ id: string; type: string }>('SELECT event_id::text AS id, type FROM events WHERE stream_id = $1 ORDER BY stream_version', [streamId]);
    return new Map(rows.map((r) => [r.type, r.id]));
  };
  const findingEvents = async (): Promise<{ finding: string; n: number }[]> =>
    (await api.sql.query<{ finding: string; n: string }>(`SELECT data->>'findingId' AS finding, count(*) AS n FROM events WHERE type = 'findings.finding-detected.v1' GROUP BY 1`)).rows.map((r) => ({ finding: r.finding, n: Number(r.n) }));
  const clock = async (): Promise<number> => Date.parse(String(ok(await api.get('/dev/clock', 'office')).body.now));
  /** A task due some days from the server's now (which the tests keep moving). */
  const issue = async (id: string, dueInDays: number) =>
    api.post('/tasks', 'office', { id, title: `任务 ${id}`, description: '化解信访积案', source: { kind: 'upper_level', ref: '省交办' }, leadUnitId: 'chuanshan', dueAt: new Date((await clock()) + dueInDays * DAY).toISOString(), caseLeader: { personId: 'p-case', name: '包案领导 钱' } });

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_findings', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    await api.as('unit', { personId: 'p-lw', name: '船山区 刘伟', unitId: 'chuanshan', roles: ['unit'] });
    await api.as('unitLead', { personId: 'p-cq', name: '船山区 陈强', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] });
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] });
    now = await clock();
    ok(await api.post('/units', 'office', { id: 'chuanshan', name: '船山区', kind: 'district' }), 201);
    for (const [personId, name, post] of [['p-zhang', '张伟', 'primary_leader'], ['p-zhao', '赵敏', 'portfolio_leader'], ['p-li', '李娜', 'handler']]) {
      ok(await api.post('/units/chuanshan/posts', 'office', { personId, name, post, from: at(-30) }), 201);
    }
  });
  afterAll(async () => api?.stop());

  it('records task_overdue naming the handler and the primary leader in post at the deadline, not the one before nor today’s', async () => {
    ok(await issue('t-overdue', 5), 201);
    ok(await api.post('/tasks/t-overdue/sign-for', 'unit'));
    ok(await api.post('/dev/clock', 'office', { advance: 'P2D' }));
    // Mid-task the primary leader changes: Zhang leaves, Wang takes over before the deadline…
    ok(await api.post('/units/chuanshan/posts/p-zhang/end', 'office', { reason: '调任' }));
    ok(await api.post('/units/chuanshan/posts', 'office', { personId: 'p-wang', name: '王强', post: 'primary_leader' }), 201);
    ok(await api.post('/dev/clock', 'office', { advance: 'P2D' }));
    // …and Wang hands over to Sun half a day after the deadline, before the detector looks at it.
    ok(await api.post('/units/chuanshan/posts/p-wang/end', 'office', { at: at(5.5), reason: '退休' }));
    ok(await api.post('/units/chuanshan/posts', 'office', { personId: 'p-sun', name: '孙杰', post: 'primary_leader', from: at(5.5) }), 201);
    expect(await findings('?taskId=t-overdue')).toEqual([]);

    const moved = ok(await api.post('/dev/clock', 'office', { advance: 'P2D' }));
    expect(moved.body.findings).toBe(1);
    const [found, ...others] = await findings('?taskId=t-overdue');
    expect(others).toEqual([]);
    const ids = await eventIds('supervision.task-t-overdue');
    expect(found).toMatchObject({ rule: 'task_overdue', taskId: 't-overdue', unitId: 'chuanshan', status: 'open', at: expect.stringMatching(/\+08:00$/), detectedAt: expect.stringMatching(/\+08:00$/) });
    expect(found?.people.map((p) => `${p.role}:${p.personId}`).sort()).toEqual(['case_leader:p-case', 'handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-wang', 'signer:p-lw']);
    expect(found?.evidence).toEqual([ids.get('supervision.task-issued.v1'), ids.get('supervision.task-signed-for.v1'), ids.get('supervision.task-overdue.v1')]);
    expect(Date.parse(found?.at ?? '')).toBe(Date.parse(at(5)));
  });

  it('records overdue_not_supervised naming the office 2 days after the deadline without a reminder, and nothing more when time moves on', async () => {
    // The deadline was day 5 (the scheduler noticed on day 6): the office's two days end on day 7, not day 8.
    ok(await api.post('/dev/clock', 'office', { advance: 'PT12H' }));
    expect(await findings('?taskId=t-overdue&rule=overdue_not_supervised')).toEqual([]);
    const moved = ok(await api.post('/dev/clock', 'office', { advance: 'PT12H' }));
    expect(moved.body.findings).toBe(1);
    const [found] = await findings('?taskId=t-overdue&rule=overdue_not_supervised', 'office');
    expect(found?.people).toEqual([{ personId: 'p-wf', name: '联席办 王芳', unitId: null, role: 'office' }]);

    const before = await findingEvents();
    const again = ok(await api.post('/dev/clock', 'office', { advance: 'P1D' }));
    expect(again.body.findings).toBe(0);
    expect(await findingEvents()).toEqual(before);
    expect(before.every((f) => f.n === 1)).toBe(true);
    expect((await findings('?taskId=t-overdue')).map((f) => f.rule).sort()).toEqual(['overdue_not_supervised', 'task_overdue']);
  });

  it('finds no overdue_not_supervised when the office reminded within 2 days', async () => {
    ok(await issue('t-reminded', 3), 201);
    ok(await api.post('/tasks/t-reminded/sign-for', 'unit'));
    ok(await api.post('/dev/clock', 'office', { advance: 'P4D' }));
    ok(await api.post('/tasks/t-reminded/reminders', 'office', { message: '请抓紧办理' }));
    ok(await api.post('/dev/clock', 'office', { advance: 'P5D' }));
    expect((await findings('?taskId=t-reminded')).map((f) => f.rule)).toEqual(['task_overdue']);
  });

  it('records each finding once when two api processes run the detector at the same moment', async () => {
    const second = await api.boot({ CLOCK_MODE: 'manual' });
    const start = await clock();
    for (const id of ['race-1', 'race-2', 'race-3']) {
      ok(await api.post('/tasks', 'office', { id, title: id, description: 'x', source: { kind: 'other' }, leadUnitId: 'chuanshan', dueAt: new Date(start + DAY).toISOString() }), 201);
      ok(await api.post(`/tasks/${id}/sign-for`, 'unit'));
    }
    for (const days of [2, 5]) {
      const target = new Date(start + days * DAY).toISOString();
      const replies = await Promise.all([api.send('POST', '/dev/clock', 'office', { set: target }), api.send('POST', '/dev/clock', 'office', { set: target }, {}, second)]);
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
    }
    expect((await findingEvents()).filter((f) => f.n !== 1)).toEqual([]);
    for (const id of ['race-1', 'race-2', 'race-3']) {
      expect((await findings(`?taskId=${id}`)).map((f) => f.rule).sort()).toEqual(['overdue_not_supervised', 'task_overdue']);
    }
  });

  it('lets only inspectors and the office read findings, and refuses bad filters with problem+json', async () => {
    expect((await api.get('/findings', 'unit')).status).toBe(403);
    expect((await api.get('/findings', 'unitLead')).status).toBe(403);
    const badRule = await api.get('/findings?rule=late_lunch', 'inspector');
    expect(badRule).toMatchObject({ status: 400, body: { code: 'INVALID_FILTER', errors: [{ field: 'rule' }] } });
    expect(badRule.contentType).toMatch(/^application\/problem\+json/);
    expect(await api.get('/findings?open=maybe', 'inspector')).toMatchObject({ status: 400, body: { code: 'INVALID_FILTER', errors: [{ field: 'open' }] } });
    expect((await api.get('/findings?cursor=bogus', 'inspector')).status).toBe(400);
  });

  it('filters by unit and open status and pages with a cursor, newest first', async () => {
    const all = await findings('?unitId=chuanshan&open=true');
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(all.every((f) => f.unitId === 'chuanshan' && f.status === 'open')).toBe(true);
    expect(await findings('?open=false')).toEqual([]);
    const first = ok(await api.get('/findings?unitId=chuanshan&limit=2', 'inspector')).body;
    const rest = ok(await api.get(`/findings?unitId=chuanshan&limit=200&cursor=${String(first.nextCursor)}`, 'inspector')).body;
    expect([...(first.items as Finding[]), ...(rest.items as Finding[])].map((f) => f.id)).toEqual(all.map((f) => f.id));
  });

  it('records follow_up_overdue when an accountability decision’s follow-up is not done within its month', async () => {
    const [overdue] = await findings('?taskId=t-overdue&rule=task_overdue');
    const opened = ok(await api.post('/accountability-cases', 'inspector', { id: 'case-1', title: '督办逾期问责', findingIds: [overdue?.id], subjects: [{ personId: 'p-li', liability: 'direct' }] }), 201);
    // Taken into the case, the finding is no longer open.
    const takenUp = await findings(`?taskId=t-overdue&open=false&minPosition=${String(opened.body.position)}`);
    expect(takenUp.map((f) => [f.id, f.status])).toEqual([[overdue?.id, 'taken_up']]);
    expect(takenUp[0]).toMatchObject({ caseIds: ['case-1'] });
    ok(await api.post('/accountability-cases/case-1/decisions', 'inspector', { decisionId: 'd-1', forms: ['admonition'], subjects: ['p-li'], basis: '《中国共产党问责条例》' }));
    ok(await api.post('/dev/clock', 'office', { advance: 'P20D' }));
    expect(await findings('?rule=follow_up_overdue')).toEqual([]);
    ok(await api.post('/dev/clock', 'office', { advance: 'P20D' }));
    const [found, ...more] = await findings('?rule=follow_up_overdue');
    expect(more).toEqual([]);
    const decision = (await eventIds('accountability.case-case-1')).get('accountability.decision-recorded.v1');
    expect(found).toMatchObject({ rule: 'follow_up_overdue', taskId: null, caseId: 'case-1', personIds: ['p-li'], evidence: [decision] });
    ok(await api.post('/dev/clock', 'office', { advance: 'P1D' }));
    expect(await findings('?rule=follow_up_overdue')).toHaveLength(1);
  });

  it('answered every request of this journey as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

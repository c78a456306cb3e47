import { ApiHarness, ok, type Reply } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

interface Person {
  personId: string;
  name: string;
  role: string;
}
interface Finding {
  id: string;
  rule: string;
  taskId: string | null;
  caseId: string | null;
  unitId: string | null;
  personIds: string[];
  people: Person[];
  evidence: string[];
  at: string;
  detail: string;
  status: string;
}

/** Beijing wall-clock time `2031-03-04T17:00` as an instant with its offset. */
const bj = (beijing: string): string => `${beijing}:00+08:00`;
/** How GET /findings writes that instant. */
const shown = (beijing: string): string => `${beijing}:00.000+08:00`;

describe('governance findings (DOMAIN.md §5): missed and contradicted daily reports, late incidents, unanswered recommendations, overdue rectifications', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let position = 0;
  const wrote = (reply: Reply, status = 201): Reply => {
    ok(reply, status);
    position = Math.max(position, Number(reply.body.position));
    return reply;
  };
  const clockTo = async (beijing: string): Promise<Reply> => {
    const reply = ok(await api.post('/dev/clock', 'office', { set: bj(beijing) }));
    position = Math.max(position, Number(reply.body.position));
    return reply;
  };
  const findings = async (query: string, who = 'inspector'): Promise<Finding[]> => ok(await api.get(`/findings${query}${query.includes('?') ? '&' : '?'}minPosition=${position}`, who)).body.items as Finding[];
  const roles = (f: Finding | undefined): string[] => (f?.people ?? []).map((p) => `${p.role}:${p.personId}`).sort();
  /** The id of the one event of `type` whose data contains `data`. */
  const eventId = async (type: string, data: Record<string, unknown>): Promise<string> => {
    const { rows } = await api.sql.query<{ id: string }>('SELECT event_id::text AS id FROM events WHERE type = $1 AND data @> $2::jsonb', [type, JSON.stringify(data)]);
    expect(rows).toHaveLength(1);
    return rows[0]?.id ?? '';
  };
  /** Finding events on record, per finding id. */
  const findingEvents = async (): Promise<Map<string, number>> =>
    new Map(
      (await api.sql.query<{ finding: string; n: string }>(`SELECT data->>'findingId' AS finding, count(*) AS n FROM events WHERE type = 'findings.finding-detected.v1' GROUP BY 1`)).rows.map((r) => [r.finding, Number(r.n)]),
    );
  const report = (who: string, date: string, windowId = 'w-lh') => api.post(`/reporting-windows/${windowId}/daily-reports`, who, { date, nil: true });
  const incident = (id: string, unitId: string, occurredAt: string, reportedAt: string) =>
    api.post('/incidents', 'office', { id, unitId, kind: 'collective_visit', persons: 12, occurredAt: bj(occurredAt), reportedAt: bj(reportedAt), summary: '12人到区政府集体访' });

  const CHUANSHAN = ['handler:p-cs-liu', 'portfolio_leader:p-cs-chen', 'primary_leader:p-cs-zhou'];
  const HEDONG_WU = ['handler:p-hd-zhao', 'portfolio_leader:p-hd-he', 'primary_leader:p-hd-wu'];
  const HEDONG_SUN = ['handler:p-hd-zhao', 'portfolio_leader:p-hd-he', 'primary_leader:p-hd-sun'];

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_gov_findings', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    await api.as('officeLead', { personId: 'p-ld', name: '联席办主任 赵军', roles: ['office', 'office_lead'] });
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周敏', roles: ['inspector'] });
    await api.as('chuanshan', { personId: 'p-cs-liu', name: '船山区 刘伟', unitId: 'chuanshan', roles: ['unit'] });
    await api.as('chuanshanLead', { personId: 'p-cs-chen', name: '船山区 陈强', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] });
    await api.as('hedong', { personId: 'p-hd-zhao', name: '河东新区 赵磊', unitId: 'hedong', roles: ['unit'] });
    await api.as('hedongLead', { personId: 'p-hd-he', name: '河东新区 何静', unitId: 'hedong', roles: ['unit', 'unit_lead'] });
    await clockTo('2031-03-03T10:00');
    for (const [id, name, kind] of [['chuanshan', '船山区', 'district'], ['hedong', '河东新区', 'zone']]) ok(await api.post('/units', 'office', { id, name, kind }), 201);
    const posts: [string, string, string, string][] = [
      ['chuanshan', 'p-cs-zhou', '周建华', 'primary_leader'],
      ['chuanshan', 'p-cs-chen', '陈强', 'portfolio_leader'],
      ['chuanshan', 'p-cs-liu', '刘伟', 'handler'],
      ['hedong', 'p-hd-wu', '吴海峰', 'primary_leader'],
      ['hedong', 'p-hd-he', '何静', 'portfolio_leader'],
      ['hedong', 'p-hd-zhao', '赵磊', 'handler'],
    ];
    for (const [unitId, personId, name, post] of posts) ok(await api.post(`/units/${unitId}/posts`, 'office', { personId, name, post, from: bj('2031-01-02T09:00') }), 201);
    wrote(await api.post('/reporting-windows', 'office', { id: 'w-lh', name: '全国两会期间零报告', from: '2031-03-04', to: '2031-03-06', unitIds: ['chuanshan', 'hedong'] }));
  });
  afterAll(async () => api?.stop());

  it('records daily_report_missed once per unit and day at the cut-off, naming the people in post then, with the window’s opening and the miss as evidence', async () => {
    await clockTo('2031-03-04T09:00');
    wrote(await report('chuanshan', '2031-03-04'), 200);
    await clockTo('2031-03-04T16:59');
    expect(await findings('?rule=daily_report_missed')).toEqual([]);
    await clockTo('2031-03-04T17:00');
    const opened = await eventId('governance.reporting-window-opened.v1', { windowId: 'w-lh' });
    const [first, ...others] = await findings('?rule=daily_report_missed');
    expect(others).toEqual([]);
    expect(first).toMatchObject({ rule: 'daily_report_missed', unitId: 'hedong', taskId: null, caseId: null, at: shown('2031-03-04T17:00'), status: 'open' });
    expect(first?.evidence).toEqual([opened, await eventId('governance.daily-report-missed.v1', { unitId: 'hedong', date: '2031-03-04' })]);
    expect(roles(first)).toEqual(HEDONG_WU);

    // 河东新区's primary leader changes at noon on the 5th; nobody files for the 5th.
    await clockTo('2031-03-05T12:00');
    ok(await api.post('/units/hedong/posts/p-hd-wu/end', 'office', { reason: '调任' }));
    ok(await api.post('/units/hedong/posts', 'office', { personId: 'p-hd-sun', name: '孙立新', post: 'primary_leader' }), 201);
    await clockTo('2031-03-05T17:00');
    const fifth = (await findings('?rule=daily_report_missed')).filter((f) => f.at === shown('2031-03-05T17:00'));
    expect(fifth.map((f) => f.unitId).sort()).toEqual(['chuanshan', 'hedong']);
    expect(roles(fifth.find((f) => f.unitId === 'hedong'))).toEqual(HEDONG_SUN);
    expect(roles(fifth.find((f) => f.unitId === 'chuanshan'))).toEqual(CHUANSHAN);
    expect(fifth.find((f) => f.unitId === 'chuanshan')?.evidence).toEqual([opened, await eventId('governance.daily-report-missed.v1', { unitId: 'chuanshan', date: '2031-03-05' })]);

    // A late report keeps the miss (and its finding) and adds nothing.
    await clockTo('2031-03-05T17:30');
    expect(wrote(await report('chuanshan', '2031-03-05'), 200).body.late).toBe(true);
    await clockTo('2031-03-05T18:00');
    expect(await findings('?rule=daily_report_missed')).toHaveLength(3);
    expect(await findings('?rule=daily_report_missed&unitId=chuanshan')).toHaveLength(1);
  });

  it('records late_incident_report for an incident reported more than 24 h after it occurred, and none at 24 h or less', async () => {
    await clockTo('2031-03-06T10:00');
    // 07:30 on the 4th in Beijing is still the 3rd in UTC; reported on the 6th, 49.5 h later.
    wrote(await incident('i-cs-late', 'chuanshan', '2031-03-04T07:30', '2031-03-06T09:00'));
    wrote(await incident('i-cs-24h', 'chuanshan', '2031-03-02T10:00', '2031-03-03T10:00'));
    wrote(await incident('i-hd-prompt', 'hedong', '2031-03-06T08:00', '2031-03-06T09:00'));
    await clockTo('2031-03-06T10:15');
    const [late, ...others] = await findings('?rule=late_incident_report');
    expect(others).toEqual([]);
    expect(late).toMatchObject({ unitId: 'chuanshan', taskId: null, at: shown('2031-03-05T07:30'), evidence: [await eventId('governance.incident-recorded.v1', { incidentId: 'i-cs-late' })] });
    expect(late?.detail).toContain('49 h');
    expect(roles(late)).toEqual(CHUANSHAN);
  });

  it('records nil_report_contradicted for a nil report on a Beijing day the unit had an incident, recorded before or after the report, naming who filed it', async () => {
    // 河东新区 files nil for the 6th after its incident of that morning was recorded; 船山区 files nil with nothing that day.
    wrote(await report('hedong', '2031-03-06'), 200);
    wrote(await report('chuanshan', '2031-03-06'), 200);
    await clockTo('2031-03-06T11:00');
    const found = await findings('?rule=nil_report_contradicted');
    expect(found.map((f) => f.unitId).sort()).toEqual(['chuanshan', 'hedong']);
    const chuanshan = found.find((f) => f.unitId === 'chuanshan');
    // The nil report of the 4th (filed at 09:00 that day), contradicted by the incident recorded two days later.
    expect(chuanshan).toMatchObject({ at: shown('2031-03-04T09:00') });
    expect(chuanshan?.evidence).toEqual([
      await eventId('governance.daily-report-filed.v1', { unitId: 'chuanshan', date: '2031-03-04' }),
      await eventId('governance.incident-recorded.v1', { incidentId: 'i-cs-late' }),
    ]);
    expect(roles(chuanshan)).toEqual([...CHUANSHAN, 'reporter:p-cs-liu'].sort());
    const hedong = found.find((f) => f.unitId === 'hedong');
    expect(hedong).toMatchObject({ at: shown('2031-03-06T10:15') });
    expect(hedong?.evidence).toEqual([
      await eventId('governance.daily-report-filed.v1', { unitId: 'hedong', date: '2031-03-06' }),
      await eventId('governance.incident-recorded.v1', { incidentId: 'i-hd-prompt' }),
    ]);
    expect(roles(hedong)).toEqual([...HEDONG_SUN, 'reporter:p-hd-zhao'].sort());
    // The nil reports of the 5th (late) and of 船山区's 6th had no incident that day.
    expect(found).toHaveLength(2);
  });

  it('records recommendation_unanswered once the answer deadline passed with no answer, and keeps it when the answer comes late', async () => {
    const due = bj('2031-03-08T18:00');
    wrote(await api.post('/recommendations', 'office', { id: 'r-none', unitId: 'hedong', kind: 'improve_work', text: '建立烂尾楼化解台账', answerDueAt: due }));
    wrote(await api.post('/recommendations', 'office', { id: 'r-late', unitId: 'chuanshan', kind: 'accountability', text: '追究相关人员责任', answerDueAt: due }));
    wrote(await api.post('/recommendations', 'office', { id: 'r-ontime', unitId: 'hedong', kind: 'improve_policy', text: '完善办证政策', answerDueAt: due }));
    await clockTo('2031-03-08T12:00');
    wrote(await api.post('/recommendations/r-ontime/answer', 'hedongLead', { text: '已采纳', adopted: true }), 200);
    await clockTo('2031-03-08T18:00');
    expect(await findings('?rule=recommendation_unanswered')).toEqual([]);
    await clockTo('2031-03-08T18:01');
    const found = await findings('?rule=recommendation_unanswered');
    expect(found.map((f) => f.unitId).sort()).toEqual(['chuanshan', 'hedong']);
    const none = found.find((f) => f.unitId === 'hedong');
    expect(none).toMatchObject({ taskId: null, at: shown('2031-03-08T18:00'), evidence: [await eventId('governance.recommendation-made.v1', { recommendationId: 'r-none' })] });
    expect(roles(none)).toEqual(HEDONG_SUN);
    const late = found.find((f) => f.unitId === 'chuanshan');
    expect(late?.evidence).toEqual([await eventId('governance.recommendation-made.v1', { recommendationId: 'r-late' })]);

    expect(wrote(await api.post('/recommendations/r-late/answer', 'chuanshanLead', { text: '已启动问责程序', adopted: true }), 200).body.late).toBe(true);
    await clockTo('2031-03-09T09:00');
    expect((await findings('?rule=recommendation_unanswered')).map((f) => [f.id, f.status])).toEqual(found.map((f) => [f.id, 'open']));
  });

  it('records rectification_overdue for an interview not rectified by its deadline, naming those interviewed, and none when rectified in time', async () => {
    const due = bj('2031-03-10T18:00');
    const interview = (id: string, unitId: string, personIds: string[]) =>
      api.post('/interviews', 'officeLead', { id, unitId, personIds, reason: '连续两期通报排名末位', findings: [], rectificationDueAt: due });
    wrote(await interview('iv-none', 'hedong', ['p-hd-sun']));
    wrote(await interview('iv-late', 'chuanshan', ['p-cs-zhou', 'p-cs-chen']));
    wrote(await interview('iv-ontime', 'hedong', ['p-hd-he']));
    await clockTo('2031-03-10T09:00');
    wrote(await api.post('/interviews/iv-ontime/rectification', 'hedongLead', { note: '已完成整改' }), 200);
    await clockTo('2031-03-10T18:00');
    expect(await findings('?rule=rectification_overdue')).toEqual([]);
    await clockTo('2031-03-10T18:01');
    const found = await findings('?rule=rectification_overdue');
    expect(found.map((f) => f.unitId).sort()).toEqual(['chuanshan', 'hedong']);
    const none = found.find((f) => f.unitId === 'hedong');
    expect(none).toMatchObject({ at: shown('2031-03-10T18:00'), evidence: [await eventId('governance.interview-recorded.v1', { interviewId: 'iv-none' })] });
    expect(roles(none)).toEqual([...HEDONG_SUN, 'subject:p-hd-sun'].sort());
    expect(none?.people.find((p) => p.role === 'subject')?.name).toBe('孙立新');
    const late = found.find((f) => f.unitId === 'chuanshan');
    expect(roles(late)).toEqual([...CHUANSHAN, 'subject:p-cs-chen', 'subject:p-cs-zhou'].sort());

    expect(wrote(await api.post('/interviews/iv-late/rectification', 'chuanshanLead', { note: '整改完成' }), 200).body.late).toBe(true);
    await clockTo('2031-03-11T09:00');
    expect((await findings('?rule=rectification_overdue')).map((f) => f.id).sort()).toEqual(found.map((f) => f.id).sort());
  });

  it('records nothing more when the clock moves on, each finding exactly once', async () => {
    const before = await findingEvents();
    expect(before.size).toBe(10);
    expect([...before.values()].every((n) => n === 1)).toBe(true);
    for (const advance of ['PT1H', 'P1D', 'P30D']) ok(await api.post('/dev/clock', 'office', { advance }));
    expect(await findingEvents()).toEqual(before);
    const rules = (await findings('?limit=200')).map((f) => f.rule);
    expect(Object.fromEntries(['daily_report_missed', 'late_incident_report', 'nil_report_contradicted', 'recommendation_unanswered', 'rectification_overdue'].map((r) => [r, rules.filter((x) => x === r).length]))).toEqual({
      daily_report_missed: 3,
      late_incident_report: 1,
      nil_report_contradicted: 2,
      recommendation_unanswered: 2,
      rectification_overdue: 2,
    });
  });

  it('records each governance finding once when two api processes reach the deadlines at the same moment', async () => {
    const second = await api.boot({ CLOCK_MODE: 'manual' });
    await clockTo('2031-05-01T09:00');
    wrote(await api.post('/reporting-windows', 'office', { id: 'w-race', name: '五一期间零报告', from: '2031-05-01', to: '2031-05-02', unitIds: ['chuanshan', 'hedong'] }));
    wrote(await api.post('/recommendations', 'office', { id: 'r-race', unitId: 'chuanshan', kind: 'improve_work', text: '改进接访', answerDueAt: bj('2031-05-02T12:00') }));
    wrote(await api.post('/interviews', 'officeLead', { id: 'iv-race', unitId: 'hedong', personIds: ['p-hd-sun'], reason: '约谈', findings: [], rectificationDueAt: bj('2031-05-02T12:00') }));
    const before = (await findingEvents()).size;
    for (const beijing of ['2031-05-01T17:00', '2031-05-02T12:01', '2031-05-03T09:00']) {
      const set = { set: bj(beijing) };
      const replies = await Promise.all([api.send('POST', '/dev/clock', 'office', set), api.send('POST', '/dev/clock', 'office', set, {}, second)]);
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
    }
    const after = await findingEvents();
    // Four misses (two units, two days), one recommendation, one interview.
    expect(after.size - before).toBe(6);
    expect([...after.values()].filter((n) => n !== 1)).toEqual([]);
  });

  it('lets inspectors and the office filter governance findings by rule and unit; units read none', async () => {
    expect((await findings('?rule=nil_report_contradicted&unitId=hedong', 'office')).map((f) => f.rule)).toEqual(['nil_report_contradicted']);
    expect((await findings('?unitId=hedong&rule=late_incident_report')).map((f) => f.id)).toEqual([]);
    expect((await api.get('/findings?rule=daily_report_missed', 'hedongLead')).status).toBe(403);
  });

  it('answered every request of this journey as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiHarness, ok, type Reply } from './support/api-harness';
import { OpenApiContract } from './support/openapi';
import { type BulletinReply, type BulletinUnitRow } from './support/bulletin-reply';

const root = resolve(__dirname, '../..');


/** The built CLI with only PATH: verify-bulletin gets no database, no network, no configuration. */
function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('monthly bulletins (月通报), 约谈 flags and annual statistics, on the manual clock', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let dir: string;
  /** Next year, so the manual clock only ever moves forward. */
  const year = new Date().getUTCFullYear() + 1;
  const march = `${year}-03`;
  const april = `${year}-04`;
  const bj = (local: string): string => new Date(`${year}-${local}:00+08:00`).toISOString();
  const clockTo = async (local: string): Promise<Reply> => ok(await api.post('/dev/clock', 'office', { set: bj(local) }));
  const raw = (path: string, who: string): Promise<{ status: number; text: string }> => api.readText(path, who);
  const read = (path: string, who = 'office'): Promise<Reply> => api.read(path, who);
  const refused = (request: () => Promise<Reply>, status: number, code: string): Promise<Reply> => api.refused(request, status, code);
  const table = (b: BulletinReply): string[] => b.document.units.map((u) => `${u.rank} ${u.unitId}${u.lastPlaces ? ' last' : ''}`);
  const task = (id: string, leadUnitId: string, dueAt: string) => api.post('/tasks', 'office', { id, title: `任务 ${id}`, description: '化解信访积案', source: { kind: 'upper_level', ref: '省交办' }, leadUnitId, dueAt });
  const incident = (id: string, unitId: string, persons: number, occurredAt: string, reportedAt?: string) =>
    api.post('/incidents', 'office', { id, unitId, kind: 'collective_visit', persons, occurredAt, ...(reportedAt ? { reportedAt } : {}), summary: `${persons}人集体访` });
  let marchText = '';

  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'sl-bulletin-'));
    api = await ApiHarness.start('e2e_bulletins', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    await api.as('officeLead', { personId: 'p-ld', name: '联席办主任 李东', roles: ['office', 'office_lead'] });
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] });
    await api.as('admin', { personId: 'p-ad', name: '管理员', roles: ['admin'] });
    for (const [unitId, name] of [
      ['hedong', '河东新区'],
      ['chuanshan', '船山区'],
      ['zhujian', '住建局'],
      ['anju', '安居区'],
    ] as const) {
      await api.as(unitId, { personId: `p-${unitId}`, name: `${name} 经办人`, unitId, roles: ['unit'] });
      await api.as(`${unitId}Lead`, { personId: `p-${unitId}-lead`, name: `${name} 分管负责人`, unitId, roles: ['unit', 'unit_lead'] });
    }
    await clockTo('03-01T09:00');
    for (const [id, name, kind] of [
      ['hedong', '河东新区', 'zone'],
      ['chuanshan', '船山区', 'district'],
      ['zhujian', '住建局', 'department'],
      ['anju', '安居区', 'district'],
    ] as const) {
      ok(await api.post('/units', 'office', { id, name, kind }), 201);
    }
    // March: 河东 lets a task run overdue; 船山 closes one on time; 安居 has a 3-person group visit (target 10 a year).
    ok(await task('t-hd', 'hedong', bj('03-10T18:00')), 201);
    ok(await task('t-cs', 'chuanshan', bj('03-20T18:00')), 201);
    ok(await task('t-zj', 'zhujian', bj('05-29T18:00')), 201);
    for (const [taskId, unitId] of [
      ['t-hd', 'hedong'],
      ['t-cs', 'chuanshan'],
      ['t-zj', 'zhujian'],
    ] as const) {
      ok(await api.post(`/tasks/${taskId}/sign-for`, unitId));
    }
    ok(await api.post('/tasks/t-hd/reminders', 'office', { message: '请按期办结' }));
    ok(await api.post('/tasks/t-cs/completion-report', 'chuanshanLead', { summary: '已办结' }));
    ok(await api.post('/tasks/t-cs/review', 'office', { decision: 'accept', reason: '经回访核实' }));
    ok(await api.post('/tasks/t-cs/signoff', 'officeLead'));
    ok(await api.post('/control-targets', 'office', { unitId: 'anju', metric: 'collective_visit', year, limit: 10 }), 201);
    // The deadline scheduler and the findings detector run as the clock passes 10 March.
    await clockTo('03-31T12:00');
    ok(await incident('i-march', 'anju', 3, bj('03-05T09:00'), bj('03-05T10:00')), 201);
  });
  afterAll(async () => api?.stop());

  it('issues a month only once it has ended in Beijing time, only by the office_lead, for a real month', async () => {
    await clockTo('03-31T23:59');
    await refused(() => api.post('/bulletins', 'officeLead', { period: march }), 422, 'PERIOD_NOT_ENDED');
    for (const who of ['office', 'inspector', 'hedongLead', 'admin']) await refused(() => api.post('/bulletins', who, { period: march }), 403, 'ROLE_FORBIDDEN');
    for (const period of [`${year}-13`, `${year}-3`, '1999-12', 'march']) {
      const reply = await refused(() => api.post('/bulletins', 'officeLead', { period }), 400, 'VALIDATION_FAILED');
      expect(reply.body.errors?.map((e) => e.field)).toEqual(['period']);
    }
    await refused(() => api.post('/bulletins', 'officeLead', { period: march, extra: 1 }), 400, 'VALIDATION_FAILED');
  });

  it('computes every unit’s month from the read models, scores and ranks it, and freezes it as one sealed event in its own stream', async () => {
    await clockTo('04-01T00:00');
    const issued = ok(await api.post('/bulletins', 'officeLead', { period: march }), 201);
    expect(issued.body).toMatchObject({ id: march, version: 1, period: march, streamId: `governance.bulletin-${march}`, document: { period: march, interviewFlags: [] } });
    expect(issued.headers.get('etag')).toBe('"1"');

    const { status, text } = await raw(`/bulletins/${march}`, 'hedong');
    expect(status).toBe(200);
    marchText = text;
    const bulletin = JSON.parse(text) as BulletinReply;
    expect(bulletin).toMatchObject({ period: march, streamId: `governance.bulletin-${march}`, seal: { algorithm: 'ed25519' }, publicKey: expect.stringContaining('PUBLIC KEY') });
    expect(bulletin.document).toMatchObject({ period: march, from: `${march}-01T00:00:00.000+08:00`, to: `${april}-01T00:00:00.000+08:00`, issuedAt: `${april}-01T00:00:00.000+08:00`, interviewFlags: [] });
    // 船山 102 (closed on time), 住建局 100, 安居 97 (3 persons), 河东 below (overdue, findings).
    expect(table(bulletin)).toEqual(['1 chuanshan', '2 zhujian', '3 anju last', '4 hedong last']);
    const row = (unitId: string): BulletinUnitRow | undefined => bulletin.document.units.find((u) => u.unitId === unitId);
    expect(row('chuanshan')).toMatchObject({ score: 102, counts: { dueInMonth: 1, closedOnTime: 1, overdue: 0 } });
    expect(row('anju')).toMatchObject({ score: 97, counts: { incidents: 1, incidentPersons: 3, targetsExceeded: 0 }, targets: [{ metric: 'collective_visit', limit: 10, usedToDate: 3, exceeded: false }] });
    expect(row('hedong')?.counts).toMatchObject({ dueInMonth: 1, overdue: 1, findings: expect.any(Number) });
    expect(row('hedong')?.score).toBeLessThanOrEqual(95);

    // The event holds exactly what GET serves: the document, its seal, the public key; one event, in its own stream.
    const events = await api.events(`governance.bulletin-${march}`);
    expect(events.map((e) => e.type)).toEqual(['governance.bulletin-issued.v1']);
    expect(events[0]?.data).toEqual({ period: march, document: bulletin.document, seal: bulletin.seal, publicKey: bulletin.publicKey });
    // The reply is that bulletin too, and names the event.
    expect({ ...issued.body, id: undefined, version: undefined, position: undefined }).toEqual({ ...bulletin, id: undefined, version: undefined, position: undefined });
    expect((await api.sql.query(`SELECT 1 FROM events WHERE event_id = $1 AND type = 'governance.bulletin-issued.v1'`, [bulletin.eventId])).rowCount).toBe(1);
  });

  it('refuses a second issue of the same month with 409, recording nothing', async () => {
    await refused(() => api.post('/bulletins', 'officeLead', { period: march }), 409, 'BULLETIN_ALREADY_ISSUED');
    expect(await api.events(`governance.bulletin-${march}`)).toHaveLength(1);
  });

  it('serves the issued bulletin byte for byte after later corrections of the month’s data', async () => {
    // A late progress report and an incident that occurred in March, both recorded in April.
    ok(await api.post('/tasks/t-hd/progress-reports', 'hedong', { summary: '补报：已约见信访人', occurredAt: bj('03-15T09:00') }));
    ok(await incident('i-march-late', 'anju', 5, bj('03-20T09:00')), 201);
    const targets = ok(await read(`/control-targets?year=${year}&unitId=anju`)).body.items as { used: number }[];
    expect(targets[0]?.used).toBe(8);
    for (const who of ['office', 'officeLead', 'inspector', 'anju']) expect(await raw(`/bulletins/${march}`, who)).toEqual({ status: 200, text: marchText });
  });

  it('verify-bulletin checks the saved reply offline: 0 when intact, 1 naming what changed when one digit is', () => {
    const file = join(dir, 'march.json');
    writeFileSync(file, marchText);
    const intact = cli(['verify-bulletin', file]);
    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, period: march, seal: { ok: true }, inconsistencies: [] });

    expect(marchText).toContain('"incidentPersons":3');
    const changed = join(dir, 'march-changed.json');
    writeFileSync(changed, marchText.replace('"incidentPersons":3', '"incidentPersons":4'));
    const tampered = cli(['verify-bulletin', changed]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('TAMPERED');
    expect(tampered.stderr).toContain('changed after it was sealed');
    expect(tampered.stderr).toContain('units[anju].score is 97');

    const key = join(dir, 'other.pem');
    writeFileSync(key, '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n');
    expect(cli(['verify-bulletin', file, '--key', key]).code).toBe(1);
    expect(cli(['verify-bulletin', join(dir, 'missing.json')]).code).toBe(2);
  });

  it('flags for 约谈 the units in the last two places of two consecutive bulletins, once each, and refuses an earlier month afterwards', async () => {
    // April: 河东 lets another task run overdue; 安居 has a 2-person visit (10 of 10 used: not above) and a late report finding.
    ok(await task('t-hd2', 'hedong', bj('04-10T18:00')), 201);
    ok(await api.post('/tasks/t-hd2/sign-for', 'hedong'));
    ok(await api.post('/tasks/t-hd/escalations', 'office', { level: 'red', reason: '逾期未办结' }));
    ok(await api.post('/tasks/t-zj/reminders', 'office', { message: '请报送进展' }));
    ok(await api.post('/recommendations', 'office', { id: 'rec-1', unitId: 'hedong', kind: 'improve_work', text: '建立逾期事项销号台账', answerDueAt: bj('04-20T18:00') }), 201);
    ok(await api.post('/recommendations/rec-1/answer', 'hedongLead', { text: '已建立台账', adopted: true }));
    await clockTo('04-30T12:00');
    ok(await incident('i-april', 'anju', 2, bj('04-05T09:00'), bj('04-05T10:00')), 201);
    await clockTo('05-01T00:00');

    const issued = ok(await api.post('/bulletins', 'officeLead', { period: april }), 201);
    const flags = [
      { unitId: 'anju', periods: [march, april], ranks: [3, 3] },
      { unitId: 'hedong', periods: [march, april], ranks: [4, 4] },
    ];
    expect((issued.body.document as BulletinReply['document']).interviewFlags).toEqual(flags);
    const bulletin = JSON.parse((await raw(`/bulletins/${april}`, 'inspector')).text) as BulletinReply;
    expect(table(bulletin)).toEqual(['1 chuanshan', '1 zhujian', '3 anju last', '4 hedong last']);
    expect(bulletin.document.units.find((u) => u.unitId === 'anju')?.targets).toEqual([{ metric: 'collective_visit', limit: 10, usedToDate: 10, exceeded: false }]);
    expect(bulletin.document.interviewFlags).toEqual(flags);
    const events = await api.events(`governance.bulletin-${april}`);
    expect(events.map((e) => [e.type, e.data.unitId ?? null])).toEqual([
      ['governance.bulletin-issued.v1', null],
      ['governance.interview-flagged.v1', 'anju'],
      ['governance.interview-flagged.v1', 'hedong'],
    ]);
    expect((await api.sql.query(`SELECT 1 FROM events WHERE type = 'governance.interview-flagged.v1'`)).rowCount).toBe(2);

    // The office_lead then records the interview with the existing endpoint.
    ok(await api.post('/interviews', 'officeLead', { id: 'iv-hedong', unitId: 'hedong', personIds: ['p-hedong-lead'], reason: `连续两期通报排名末两位（${march}、${april}）`, findings: [], rectificationDueAt: bj('05-31T18:00') }), 201);

    await refused(() => api.post('/bulletins', 'officeLead', { period: `${year}-02` }), 422, 'LATER_BULLETIN_ISSUED');
    const list = ok(await read('/bulletins', 'hedong')).body.items as { period: string; interviewFlags: string[] }[];
    expect(list.map((b) => [b.period, b.interviewFlags])).toEqual([
      [april, ['anju', 'hedong']],
      [march, []],
    ]);
    expect((await raw(`/bulletins/${march}`, 'office')).text).toBe(marchText);
  });

  it('reads bulletins for governance roles only, and answers 400 for a bad period and 404 for a month not issued', async () => {
    await refused(() => api.get(`/bulletins/${march}`, 'admin'), 403, 'ROLE_FORBIDDEN');
    await refused(() => api.get('/bulletins', 'admin'), 403, 'ROLE_FORBIDDEN');
    await refused(() => api.get(`/bulletins/${year}-13`, 'office'), 400, 'INVALID_PERIOD');
    await refused(() => api.get(`/bulletins/${year}-01`, 'office'), 404, 'BULLETIN_NOT_FOUND');
  });

  it('gives annual statistics (条例 41) whose totals are the counts of the year’s events', async () => {
    const from = `${year}-01-01T00:00:00+08:00`;
    const to = `${year + 1}-01-01T00:00:00+08:00`;
    const count = async (sql: string): Promise<number> => Number((await api.sql.query<{ n: string }>(sql, [from, to])).rows[0]?.n);
    const tasks = (types: string, field = 'at', extra = '') =>
      count(`SELECT count(DISTINCT data->>'taskId') AS n FROM events WHERE type IN (${types}) AND (data->>'${field}')::timestamptz >= $1 AND (data->>'${field}')::timestamptz < $2 ${extra}`);
    const expected = {
      issued: await tasks(`'supervision.task-issued.v1'`, 'issuedAt'),
      supervised: await tasks(`'supervision.reminder-sent.v1', 'supervision.task-escalated.v1'`),
      escalated: await tasks(`'supervision.task-escalated.v1'`),
      overdue: await tasks(`'supervision.task-overdue.v1'`, 'dueAt'),
      closed: await tasks(`'supervision.task-signed-off.v1'`),
    };
    expect(expected).toEqual({ issued: 4, supervised: 2, escalated: 1, overdue: 2, closed: 1 });
    const made = await count(`SELECT count(*) AS n FROM events WHERE type = 'governance.recommendation-made.v1' AND (data->>'madeAt')::timestamptz >= $1 AND (data->>'madeAt')::timestamptz < $2`);
    const adopted = await count(`SELECT count(*) AS n FROM events WHERE type = 'governance.recommendation-answered.v1' AND (data->>'adopted')::boolean AND (data->>'answeredAt')::timestamptz >= $1 AND (data->>'answeredAt')::timestamptz < $2`);
    const findings = (
      await api.sql.query<{ rule: string; unit: string | null; n: string }>(
        `SELECT data->>'rule' AS rule, data->>'unitId' AS unit, count(*) AS n FROM events WHERE type = 'findings.finding-detected.v1'
            AND (data->>'detectedAt')::timestamptz >= $1 AND (data->>'detectedAt')::timestamptz < $2 GROUP BY 1, 2`,
        [from, to],
      )
    ).rows;
    expect(findings.length).toBeGreaterThan(0);

    for (const who of ['officeLead', 'inspector']) {
      const stats = ok(await read(`/statistics/annual?year=${year}`, who)).body as Record<string, Record<string, unknown>>;
      expect(stats.tasks).toMatchObject(expected);
      expect(stats.recommendations).toMatchObject({ made, adopted, byKind: { improve_work: { made: 1, answered: 1, adopted: 1 } } });
      const byRule: Record<string, number> = {};
      const byUnit: Record<string, number> = {};
      for (const f of findings) {
        byRule[f.rule] = (byRule[f.rule] ?? 0) + Number(f.n);
        if (f.unit !== null) byUnit[f.unit] = (byUnit[f.unit] ?? 0) + Number(f.n);
      }
      const served = stats.findings as { total: number; byRule: Record<string, number>; byUnit: { unitId: string; count: number }[]; topUnits: { unitId: string; rank: number }[] };
      expect(served.total).toBe(findings.reduce((n, f) => n + Number(f.n), 0));
      expect(Object.fromEntries(Object.entries(served.byRule).filter(([, n]) => n > 0))).toEqual(byRule);
      expect(Object.fromEntries(served.byUnit.map((u) => [u.unitId, u.count]))).toEqual(byUnit);
      expect(served.topUnits[0]).toMatchObject({ unitId: 'hedong', rank: 1 });
    }
    const empty = ok(await read(`/statistics/annual?year=${year - 1}`, 'inspector')).body as { tasks: Record<string, number> };
    expect(empty.tasks).toMatchObject({ issued: 0, supervised: 0, overdue: 0, closed: 0 });
  });

  it('refuses statistics to other roles (403) and for a missing or bad year (400), recording nothing', async () => {
    for (const who of ['office', 'hedongLead', 'admin']) await refused(() => api.get(`/statistics/annual?year=${year}`, who), 403, 'ROLE_FORBIDDEN');
    for (const query of ['', '?year=1999', '?year=abc', `?year=${year}.5`]) {
      const reply = await refused(() => api.get(`/statistics/annual${query}`, 'inspector'), 400, 'INVALID_FILTER');
      expect(reply.body.errors?.map((e) => e.field)).toEqual(['year']);
    }
  });

  it('describes every reply in the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
  });
});

import { ApiHarness, ok, type Reply } from './support/api-harness';
import { OpenApiContract } from './support/openapi';
import { bulletinTable, type BulletinReply, type BulletinUnitRow } from './support/bulletin-reply';
import { type UnitComplianceReply, type FindingReply } from './support/governance-replies';

/*
 * The governance journey of issue 5, over HTTP on the manual clock: a sensitive period (敏感时期)
 * from Friday 27 February to Wednesday 3 March 2032 (a leap year, so across 29 February and a
 * month end), four member units filing daily reports (零报告) on time, late and not at all,
 * incidents against a control target, a late incident report, a contradicted nil report, two
 * recommendations, an interview (约谈) whose rectification deadline passes, the February and March
 * bulletins (月通报) with the consecutive-last-two flag, and the year's statistics (条例 41).
 */

const YEAR = 2032;
const FEB = `${YEAR}-02`;
const MAR = `${YEAR}-03`;
const WINDOW = 'w-2032-lh';
const DAYS = ['2032-02-27', '2032-02-28', '2032-02-29', '2032-03-01', '2032-03-02', '2032-03-03'];
const UNITS = [
  ['chuanshan', '船山区', 'district', 'cs'],
  ['hedong', '河东新区', 'zone', 'hd'],
  ['pengxi', '蓬溪县', 'county', 'px'],
  ['jingkai', '经开区', 'zone', 'jk'],
] as const;

/** Beijing wall-clock time `2032-02-27T17:00` as an instant with its offset. */
const bj = (beijing: string): string => `${beijing}:00+08:00`;
/** How replies write that instant. */
const shown = (beijing: string): string => `${beijing}:00.000+08:00`;

interface Target {
  unitId: string;
  metric: string;
  limit: number;
  used: number;
  ratio: number | null;
  warnings: number[];
  warningHistory: { threshold: number; incidentId: string | null }[];
}

describe('governance journey: a sensitive period across the February month end, two bulletins and the year’s statistics', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let febText = '';

  const clockTo = async (beijing: string): Promise<Reply> => ok(await api.post('/dev/clock', 'office', { set: bj(beijing) }));
  const read = (path: string, who = 'office'): Promise<Reply> => api.read(path, who);
  const items = async <T>(path: string, who = 'office'): Promise<T[]> => ok(await read(path, who)).body.items as T[];
  const raw = (path: string, who: string): Promise<{ status: number; text: string }> => api.readText(path, who);
  const report = (who: string, date: string, body: Record<string, unknown> = { nil: true }) => api.post(`/reporting-windows/${WINDOW}/daily-reports`, who, { date, ...body });
  const unitOf = (who: string): string => UNITS.find(([, , , short]) => who === short || who === `${short}Lead`)?.[0] ?? '';
  const fileAll = async (date: string, who: string[]): Promise<void> => {
    for (const unit of who) expect(ok(await report(unit, date)).body).toMatchObject({ unitId: unitOf(unit), date, late: false });
  };
  const compliance = async (): Promise<UnitComplianceReply[]> => ok(await read(`/reporting-windows/${WINDOW}/compliance`)).body.units as UnitComplianceReply[];
  /** Each unit's statuses, day by day, as one line. */
  const matrix = async (): Promise<Record<string, string>> => Object.fromEntries((await compliance()).map((u) => [u.unitId, u.days.map((d) => d.status).join(' ')]));
  /** Misses on record in the window's stream, as `unit date ×count`, by day. */
  const misses = async (): Promise<string[]> =>
    (
      await api.sql.query<{ unit: string; day: string; n: string }>(
        `SELECT data->>'unitId' AS unit, data->>'date' AS day, count(*) AS n FROM events WHERE type = 'governance.daily-report-missed.v1' AND stream_id = $1 GROUP BY 1, 2 ORDER BY 2, 1`,
        [`governance.reporting-window-${WINDOW}`],
      )
    ).rows.map((r) => `${r.unit} ${r.day} ×${r.n}`);
  const findings = async (query: string, who = 'inspector'): Promise<FindingReply[]> => items<FindingReply>(`/findings${query}`, who);
  /** The id of the one event of `type` whose data contains `data`. */
  const eventId = async (type: string, data: Record<string, unknown>): Promise<string> => {
    const { rows } = await api.sql.query<{ id: string }>('SELECT event_id::text AS id FROM events WHERE type = $1 AND data @> $2::jsonb', [type, JSON.stringify(data)]);
    expect(rows).toHaveLength(1);
    return rows[0]?.id ?? '';
  };
  const warningEvents = async (unitId: string): Promise<string[]> =>
    (
      await api.sql.query<{ threshold: string; incident: string | null }>(
        `SELECT data->>'threshold' AS threshold, data->>'incidentId' AS incident FROM events WHERE type = 'governance.control-target-warning-raised.v1' AND data->>'unitId' = $1 ORDER BY position`,
        [unitId],
      )
    ).rows.map((r) => `${r.threshold} ${r.incident ?? '-'}`);
  const target = async (unitId: string): Promise<Target | undefined> => (await items<Target>(`/control-targets?year=${YEAR}&unitId=${unitId}`))[0];
  const incident = (id: string, unitId: string, kind: string, persons: number, occurredAt: string, summary: string) =>
    api.post('/incidents', 'office', { id, unitId, kind, persons, occurredAt: bj(occurredAt), summary });
  const table = bulletinTable;
  const row = (b: BulletinReply, unitId: string): BulletinUnitRow | undefined => b.document.units.find((u) => u.unitId === unitId);
  const task = (id: string, leadUnitId: string, dueAt: string) =>
    api.post('/tasks', 'office', { id, title: `任务 ${id}`, description: '化解重复集体访积案', source: { kind: 'meeting_decision', ref: '联席会议第二次全体会议' }, leadUnitId, dueAt: bj(dueAt) });
  /** Completion report by the lead unit's lead, accepted by the office, signed off (销号) by the office lead. */
  const close = async (taskId: string, lead: string): Promise<void> => {
    ok(await api.post(`/tasks/${taskId}/completion-report`, lead, { summary: '已化解，信访人息诉罢访' }));
    ok(await api.post(`/tasks/${taskId}/review`, 'office', { decision: 'accept', reason: '经回访核实' }));
    ok(await api.post(`/tasks/${taskId}/signoff`, 'officeLead'));
  };

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_gov_journey', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    await api.as('officeLead', { personId: 'p-ld', name: '联席办主任 李东', roles: ['office', 'office_lead'] });
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周敏', roles: ['inspector'] });
    for (const [unitId, name, , short] of UNITS) {
      await api.as(short, { personId: `p-${short}-handler`, name: `${name} 经办人`, unitId, roles: ['unit'] });
      await api.as(`${short}Lead`, { personId: `p-${short}-portfolio`, name: `${name} 分管负责人`, unitId, roles: ['unit', 'unit_lead'] });
    }
    // Friday 20 February 2032, 09:00 in Beijing: a week before the sensitive period.
    await clockTo('2032-02-20T09:00');
    for (const [unitId, name, kind, short] of UNITS) {
      ok(await api.post('/units', 'office', { id: unitId, name, kind }), 201);
      for (const [post, who] of [
        ['primary_leader', `${name} 主要负责人`],
        ['portfolio_leader', `${name} 分管负责人`],
        ['handler', `${name} 经办人`],
      ] as const) {
        const personId = `p-${short}-${post === 'primary_leader' ? 'primary' : post === 'portfolio_leader' ? 'portfolio' : 'handler'}`;
        ok(await api.post(`/units/${unitId}/posts`, 'office', { personId, name: who, post, from: bj('2032-01-05T09:00') }), 201);
      }
    }
    // One task per unit from the plenary: 船山区 and 河东新区 due in February, 蓬溪县 and 经开区 in March.
    ok(await task('t-cs', 'chuanshan', '2032-02-27T18:00'), 201);
    ok(await task('t-hd', 'hedong', '2032-02-26T18:00'), 201);
    ok(await task('t-px', 'pengxi', '2032-03-20T18:00'), 201);
    ok(await task('t-jk', 'jingkai', '2032-03-02T18:00'), 201);
    for (const [taskId, who] of [
      ['t-cs', 'cs'],
      ['t-hd', 'hd'],
      ['t-px', 'px'],
      ['t-jk', 'jk'],
    ] as const) {
      ok(await api.post(`/tasks/${taskId}/sign-for`, who));
    }
  });
  afterAll(async () => api?.stop());

  it('opens a reporting window from 27 February to 3 March, leap day included, for the four units, and sets 河东新区’s yearly 进京 target at 4', async () => {
    const opened = ok(await api.post('/reporting-windows', 'office', { id: WINDOW, name: '全国两会期间信访稳定零报告', from: DAYS[0], to: DAYS[5], unitIds: UNITS.map(([id]) => id) }), 201);
    expect(opened.body).toMatchObject({ id: WINDOW, version: 1 });
    const units = await compliance();
    expect(units.map((u) => u.unitId)).toEqual(['chuanshan', 'hedong', 'pengxi', 'jingkai']);
    for (const unit of units) {
      expect(unit.days.map((d) => d.date)).toEqual(DAYS);
      expect(unit).toMatchObject({ filed: 0, late: 0, missed: 0, pending: 6 });
    }
    expect(ok(await api.post('/control-targets', 'office', { unitId: 'hedong', metric: 'beijing_visit', year: YEAR, limit: 4 }), 201).body).toMatchObject({ id: `hedong-beijing_visit-${YEAR}`, warningsRaised: [] });
    expect(await target('hedong')).toMatchObject({ limit: 4, used: 0, ratio: 0, warnings: [] });
  });

  it('closes 船山区’s task on time on 25 February and records 河东新区’s overdue at its deadline on the 26th, a task_overdue finding', async () => {
    await clockTo('2032-02-25T10:00');
    await close('t-cs', 'csLead');
    expect(ok(await read('/tasks/t-cs')).body).toMatchObject({ status: 'closed' });
    await clockTo('2032-02-26T17:59');
    expect(await findings('?taskId=t-hd')).toEqual([]);
    await clockTo('2032-02-26T18:30');
    expect(ok(await read('/tasks/t-hd')).body).toMatchObject({ status: 'acknowledged', rag: 'red' });
    const [overdue, ...others] = await findings('?taskId=t-hd');
    expect(others).toEqual([]);
    expect(overdue).toMatchObject({ rule: 'task_overdue', unitId: 'hedong', at: shown('2032-02-26T18:00') });
  });

  it('27 Feb: 河东新区 files nil at 09:00, then its 2-person 进京 incident of 08:30 passes 50% of the target and contradicts that nil report; 蓬溪县 misses the 17:00 cut-off and files late', async () => {
    await clockTo('2032-02-27T09:00');
    await fileAll('2032-02-27', ['cs', 'hd']);
    // The office reminds 河东新区 of its overdue task and makes two recommendations due on 2 March.
    ok(await api.post('/tasks/t-hd/reminders', 'office', { message: '请立即办结并说明逾期原因' }));
    const due = bj('2032-03-02T18:00');
    ok(await api.post('/recommendations', 'office', { id: 'r-cs', unitId: 'chuanshan', kind: 'improve_work', text: '建立烂尾楼项目信访化解台账', answerDueAt: due }), 201);
    ok(await api.post('/recommendations', 'office', { id: 'r-hd', unitId: 'hedong', kind: 'improve_policy', text: '完善不动产权证办理政策', answerDueAt: due }), 201);

    await clockTo('2032-02-27T10:00');
    expect(ok(await incident('i-hd-1', 'hedong', 'beijing_visit', 2, '2032-02-27T08:30', '2人进京非访，已接回'), 201).body).toMatchObject({ id: 'i-hd-1', warningsRaised: [0.5] });
    expect(await warningEvents('hedong')).toEqual(['0.5 i-hd-1']);
    expect(await target('hedong')).toMatchObject({ used: 2, ratio: 0.5, warnings: [0.5] });

    await clockTo('2032-02-27T16:30');
    await fileAll('2032-02-27', ['jk']);
    await clockTo('2032-02-27T17:00');
    expect(await misses()).toEqual(['pengxi 2032-02-27 ×1']);
    await clockTo('2032-02-27T18:00');
    expect(ok(await report('px', '2032-02-27')).body).toMatchObject({ unitId: 'pengxi', late: true });

    const [contradicted, ...others] = await findings('?rule=nil_report_contradicted');
    expect(others).toEqual([]);
    expect(contradicted).toMatchObject({ unitId: 'hedong', at: shown('2032-02-27T09:00') });
    expect(contradicted?.evidence).toEqual([
      await eventId('governance.daily-report-filed.v1', { unitId: 'hedong', date: '2032-02-27' }),
      await eventId('governance.incident-recorded.v1', { incidentId: 'i-hd-1' }),
    ]);
    expect(contradicted?.people.map((p) => `${p.role}:${p.personId}`).sort()).toEqual(['handler:p-hd-handler', 'portfolio_leader:p-hd-portfolio', 'primary_leader:p-hd-primary', 'reporter:p-hd-handler']);
    expect((await findings('?rule=daily_report_missed')).map((f) => [f.unitId, f.at])).toEqual([['pengxi', shown('2032-02-27T17:00')]]);
    // A 2-person visit reported within 90 minutes is not late.
    expect(await findings('?rule=late_incident_report')).toEqual([]);
    expect(Object.fromEntries((await compliance()).map((u) => [u.unitId, u.days[0]?.status]))).toEqual({ chuanshan: 'filed', hedong: 'filed', pengxi: 'late', jingkai: 'filed' });
  });

  it('28–29 Feb: 蓬溪县 misses Saturday; the office lead interviews 河东新区 with a rectification deadline; the leap day is a reporting day like any other', async () => {
    await clockTo('2032-02-28T09:30');
    await fileAll('2032-02-28', ['cs', 'hd', 'jk']);
    const [overdue] = await findings('?taskId=t-hd&rule=task_overdue');
    ok(
      await api.post('/interviews', 'officeLead', { id: 'iv-hd', unitId: 'hedong', personIds: ['p-hd-primary'], reason: '督办任务逾期未办结', findings: [overdue?.id], rectificationDueAt: bj('2032-03-02T18:00') }),
      201,
    );
    await clockTo('2032-02-28T17:00');
    expect(await misses()).toEqual(['pengxi 2032-02-27 ×1', 'pengxi 2032-02-28 ×1']);

    await clockTo('2032-02-29T10:00');
    await fileAll('2032-02-29', ['cs', 'hd', 'px', 'jk']);
    await clockTo('2032-02-29T17:00');
    expect(await misses()).toHaveLength(2);
    expect(await matrix()).toEqual({
      chuanshan: 'filed filed filed pending pending pending',
      hedong: 'filed filed filed pending pending pending',
      pengxi: 'late missed filed pending pending pending',
      jingkai: 'filed filed filed pending pending pending',
    });
  });

  it('issues the February bulletin only once February has ended in Beijing, freezing each unit’s scores with 蓬溪县 and 河东新区 in the last two places', async () => {
    await clockTo('2032-02-29T23:59');
    const early = await api.post('/bulletins', 'officeLead', { period: FEB });
    expect({ status: early.status, code: early.body.code }).toEqual({ status: 422, code: 'PERIOD_NOT_ENDED' });

    await clockTo('2032-03-01T09:00');
    ok(await api.post('/bulletins', 'officeLead', { period: FEB }), 201);
    const { status, text } = await raw(`/bulletins/${FEB}`, 'hdLead');
    expect(status).toBe(200);
    febText = text;
    const bulletin = JSON.parse(text) as BulletinReply;
    expect(bulletin.document).toMatchObject({ period: FEB, from: shown('2032-02-01T00:00'), to: shown('2032-03-01T00:00'), issuedAt: shown('2032-03-01T09:00'), interviewFlags: [] });
    // 船山区 102 (a task closed on time); 经开区 100; 蓬溪县 92 (two missed reports and their findings);
    // 河东新区 91 (an overdue task, 2 persons to Beijing, the overdue and the contradicted-nil findings).
    expect(table(bulletin)).toEqual(['1 chuanshan 102', '2 jingkai 100', '3 pengxi 92 last', '4 hedong 91 last']);
    expect(row(bulletin, 'chuanshan')?.counts).toMatchObject({ dueInMonth: 1, closedOnTime: 1, overdue: 0, findings: 0 });
    expect(row(bulletin, 'pengxi')?.counts).toMatchObject({ missedDailyReports: 2, incidents: 0, incidentPersons: 0, findings: 2 });
    expect(row(bulletin, 'hedong')?.counts).toMatchObject({ dueInMonth: 1, overdue: 1, incidents: 1, incidentPersons: 2, targetsExceeded: 0, findings: 2 });
    expect(row(bulletin, 'hedong')?.targets).toEqual([{ metric: 'beijing_visit', limit: 4, usedToDate: 2, exceeded: false }]);
  });

  it('1 Mar: later February data — 蓬溪县’s late report for the 28th, an incident of the 28th reported on 1 March, 49 h after it (across the leap day) — is recorded and found late, yet the February bulletin stays byte-identical', async () => {
    await clockTo('2032-03-01T09:30');
    await fileAll('2032-03-01', ['cs', 'hd', 'px']);
    const lateReport = ok(await report('px', '2032-02-28', { nil: false, items: [{ summary: '6人到县政府集体访，已劝返', occurredAt: bj('2032-02-28T15:00') }] }));
    expect(lateReport.body).toMatchObject({ unitId: 'pengxi', date: '2032-02-28', late: true });
    expect(ok(await api.post('/recommendations/r-cs/answer', 'csLead', { text: '已采纳，台账已建立', adopted: true })).body).toMatchObject({ id: 'r-cs', late: false });
    ok(await api.post('/tasks/t-hd/escalations', 'office', { level: 'red', reason: '逾期未办结，亮红灯' }));

    await clockTo('2032-03-01T16:00');
    ok(await incident('i-px-late', 'pengxi', 'collective_visit', 6, '2032-02-28T15:00', '6人到县政府集体访'), 201);
    await clockTo('2032-03-01T17:00');
    expect(await misses()).toEqual(['pengxi 2032-02-27 ×1', 'pengxi 2032-02-28 ×1', 'jingkai 2032-03-01 ×1']);

    const [late, ...others] = await findings('?rule=late_incident_report');
    expect(others).toEqual([]);
    expect(late).toMatchObject({ unitId: 'pengxi', at: shown('2032-02-29T15:00'), evidence: [await eventId('governance.incident-recorded.v1', { incidentId: 'i-px-late' })] });
    // Due 24 h after it occurred: on the leap day, 29 February, 15:00.
    expect(late?.detail).toContain('49 h');
    // The late report had the visit in it, so nothing contradicts; the miss of the 28th stays on record.
    expect(await findings('?rule=nil_report_contradicted&unitId=pengxi')).toEqual([]);
    expect((await compliance()).find((u) => u.unitId === 'pengxi')?.days[1]).toMatchObject({ date: '2032-02-28', status: 'late', nil: false, itemCount: 1, missedEventId: expect.any(String) });
    const febIncidents = await items<{ id: string; occurredAt: string; reportedAt: string }>(`/incidents?unitId=pengxi&year=${YEAR}`);
    expect(febIncidents).toEqual([expect.objectContaining({ id: 'i-px-late', occurredAt: shown('2032-02-28T15:00'), reportedAt: shown('2032-03-01T16:00') })]);

    for (const who of ['office', 'officeLead', 'inspector', 'px', 'hdLead']) expect(await raw(`/bulletins/${FEB}`, who)).toEqual({ status: 200, text: febText });
    expect(row(JSON.parse(febText) as BulletinReply, 'pengxi')?.counts).toMatchObject({ incidents: 0, incidentPersons: 0 });
  });

  it('2 Mar: a 3-person incident takes 河东新区 past 100% of its target, each warning once; at 18:00 the unanswered recommendation and the unrectified interview become findings, the answered one does not; 经开区 reports late', async () => {
    await clockTo('2032-03-02T10:00');
    await fileAll('2032-03-02', ['cs', 'px']);
    expect(ok(await incident('i-hd-2', 'hedong', 'beijing_visit', 3, '2032-03-02T08:00', '3人进京非访，已接回'), 201).body.warningsRaised).toEqual([1]);
    await clockTo('2032-03-02T11:00');
    const items2 = [{ summary: '3人进京非访，已接回', occurredAt: bj('2032-03-02T08:00') }];
    expect(ok(await report('hd', '2032-03-02', { nil: false, items: items2 })).body.late).toBe(false);

    await clockTo('2032-03-02T17:00');
    expect(await misses()).toContain('jingkai 2032-03-02 ×1');
    await clockTo('2032-03-02T18:00');
    expect(await findings('?rule=recommendation_unanswered')).toEqual([]);
    expect(await findings('?rule=rectification_overdue')).toEqual([]);
    await clockTo('2032-03-02T18:30');

    const [unanswered, ...moreUnanswered] = await findings('?rule=recommendation_unanswered');
    expect(moreUnanswered).toEqual([]);
    expect(unanswered).toMatchObject({ unitId: 'hedong', at: shown('2032-03-02T18:00'), evidence: [await eventId('governance.recommendation-made.v1', { recommendationId: 'r-hd' })] });
    expect(ok(await read('/recommendations/r-hd', 'hdLead')).body).toMatchObject({ open: true, overdue: true, answer: null });
    expect(ok(await read('/recommendations/r-cs', 'inspector')).body).toMatchObject({ open: false, overdue: false, answer: { adopted: true, late: false } });

    const [rectification, ...moreRectifications] = await findings('?rule=rectification_overdue');
    expect(moreRectifications).toEqual([]);
    expect(rectification).toMatchObject({ unitId: 'hedong', at: shown('2032-03-02T18:00'), evidence: [await eventId('governance.interview-recorded.v1', { interviewId: 'iv-hd' })] });
    expect(rectification?.people.filter((p) => p.role === 'subject').map((p) => p.personId)).toEqual(['p-hd-primary']);
    expect(ok(await read('/interviews/iv-hd', 'hd')).body).toMatchObject({ open: true, overdue: true, rectification: null });
    expect((await findings('?taskId=t-jk')).map((f) => [f.rule, f.unitId])).toEqual([['task_overdue', 'jingkai']]);

    await clockTo('2032-03-02T20:00');
    expect(ok(await report('jk', '2032-03-02')).body.late).toBe(true);

    expect(await warningEvents('hedong')).toEqual(['0.5 i-hd-1', '1 i-hd-2']);
    const hedong = await target('hedong');
    expect(hedong).toMatchObject({ limit: 4, used: 5, ratio: 1.25, warnings: [0.5, 1] });
    expect(hedong?.warningHistory.map((w) => [w.threshold, w.incidentId])).toEqual([
      [0.5, 'i-hd-1'],
      [1, 'i-hd-2'],
    ]);
  });

  it('3 Mar: the last day settles the window — filed, late and missed per unit and day — each miss recorded once with its daily_report_missed finding, and nothing after', async () => {
    await clockTo('2032-03-03T09:00');
    await fileAll('2032-03-03', ['cs', 'hd', 'jk']);
    ok(await api.post('/tasks/t-jk/reminders', 'office', { message: '已逾期，请抓紧办理' }));
    // 河东新区 closes its task five days late; 蓬溪县 closes its own well ahead of the 20th.
    await close('t-hd', 'hdLead');
    await close('t-px', 'pxLead');
    await clockTo('2032-03-03T17:00');
    await clockTo('2032-03-04T09:00');
    const settled = await api.eventCount();
    await clockTo('2032-03-06T17:30');
    expect(
      (await api.sql.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE stream_id = $1 AND position > $2`, [`governance.reporting-window-${WINDOW}`, settled])).rows[0]?.n,
    ).toBe('0');

    expect(await matrix()).toEqual({
      chuanshan: 'filed filed filed filed filed filed',
      hedong: 'filed filed filed filed filed filed',
      pengxi: 'late late filed filed filed missed',
      jingkai: 'filed filed filed missed late filed',
    });
    expect((await compliance()).map((u) => [u.unitId, u.filed, u.late, u.missed, u.pending])).toEqual([
      ['chuanshan', 6, 0, 0, 0],
      ['hedong', 6, 0, 0, 0],
      ['pengxi', 3, 2, 1, 0],
      ['jingkai', 4, 1, 1, 0],
    ]);
    const recorded = await misses();
    expect(recorded).toEqual(['pengxi 2032-02-27 ×1', 'pengxi 2032-02-28 ×1', 'jingkai 2032-03-01 ×1', 'jingkai 2032-03-02 ×1', 'pengxi 2032-03-03 ×1']);
    const found = await findings('?rule=daily_report_missed&limit=200');
    expect(found.map((f) => `${f.unitId} ${f.at}`).sort()).toEqual(
      [
        `jingkai ${shown('2032-03-01T17:00')}`,
        `jingkai ${shown('2032-03-02T17:00')}`,
        `pengxi ${shown('2032-02-27T17:00')}`,
        `pengxi ${shown('2032-02-28T17:00')}`,
        `pengxi ${shown('2032-03-03T17:00')}`,
      ].sort(),
    );
    const findingEvents = (await api.sql.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type = 'findings.finding-detected.v1' AND data->>'rule' = 'daily_report_missed'`)).rows[0]?.n;
    expect(findingEvents).toBe('5');
  });

  it('issues the March bulletin on 1 April and flags for 约谈 only 河东新区, in the last two places of both months; the office lead records that interview; February’s stays byte-identical', async () => {
    await clockTo('2032-04-01T09:00');
    const issued = ok(await api.post('/bulletins', 'officeLead', { period: MAR }), 201);
    const flags = [{ unitId: 'hedong', periods: [FEB, MAR], ranks: [4, 3] }];
    expect((issued.body.document as BulletinReply['document']).interviewFlags).toEqual(flags);
    const bulletin = JSON.parse((await raw(`/bulletins/${MAR}`, 'inspector')).text) as BulletinReply;
    // 船山区 100; 蓬溪县 97 (a task closed on time, the miss of 3 March, two findings);
    // 河东新区 90 (3 persons, its target exceeded, two findings); 经开区 86 (overdue task, two misses, three findings).
    expect(table(bulletin)).toEqual(['1 chuanshan 100', '2 pengxi 97', '3 hedong 90 last', '4 jingkai 86 last']);
    expect(row(bulletin, 'hedong')).toMatchObject({ counts: { incidents: 1, incidentPersons: 3, targetsExceeded: 1, findings: 2 }, targets: [{ metric: 'beijing_visit', limit: 4, usedToDate: 5, exceeded: true }] });
    expect(row(bulletin, 'jingkai')?.counts).toMatchObject({ dueInMonth: 1, overdue: 1, missedDailyReports: 2, findings: 3 });
    expect(row(bulletin, 'pengxi')?.counts).toMatchObject({ dueInMonth: 1, closedOnTime: 1, missedDailyReports: 1, incidents: 0, findings: 2 });
    expect(bulletin.document.interviewFlags).toEqual(flags);
    expect((await api.events(`governance.bulletin-${MAR}`)).map((e) => [e.type, e.data.unitId ?? null])).toEqual([
      ['governance.bulletin-issued.v1', null],
      ['governance.interview-flagged.v1', 'hedong'],
    ]);
    expect((await api.sql.query(`SELECT 1 FROM events WHERE type = 'governance.interview-flagged.v1'`)).rowCount).toBe(1);

    const cited = [...(await findings('?unitId=hedong&rule=rectification_overdue')), ...(await findings('?unitId=hedong&rule=recommendation_unanswered'))].map((f) => f.id);
    ok(
      await api.post('/interviews', 'officeLead', { id: 'iv-hd-flag', unitId: 'hedong', personIds: ['p-hd-primary', 'p-hd-portfolio'], reason: `连续两期通报排名末两位（${FEB}、${MAR}）`, findings: cited, rectificationDueAt: bj('2032-04-30T18:00') }),
      201,
    );
    expect(ok(await read('/interviews/iv-hd-flag', 'hdLead')).body).toMatchObject({ unitId: 'hedong', findingIds: cited, open: true });
    expect((await items<{ period: string; interviewFlags: string[] }>('/bulletins', 'jk')).map((b) => [b.period, b.interviewFlags])).toEqual([
      [MAR, ['hedong']],
      [FEB, []],
    ]);
    expect(await raw(`/bulletins/${FEB}`, 'office')).toEqual({ status: 200, text: febText });
  });

  it('gives 2032’s annual statistics (条例 41) whose totals equal the counts of the year’s events', async () => {
    const from = `${YEAR}-01-01T00:00:00+08:00`;
    const to = `${YEAR + 1}-01-01T00:00:00+08:00`;
    const count = async (sql: string): Promise<number> => Number((await api.sql.query<{ n: string }>(sql, [from, to])).rows[0]?.n);
    const tasks = (types: string, field = 'at') =>
      count(`SELECT count(DISTINCT data->>'taskId') AS n FROM events WHERE type IN (${types}) AND (data->>'${field}')::timestamptz >= $1 AND (data->>'${field}')::timestamptz < $2`);
    const fromEvents = {
      issued: await tasks(`'supervision.task-issued.v1'`, 'issuedAt'),
      supervised: await tasks(`'supervision.reminder-sent.v1', 'supervision.task-escalated.v1'`),
      escalated: await tasks(`'supervision.task-escalated.v1'`),
      overdue: await tasks(`'supervision.task-overdue.v1'`, 'dueAt'),
      closed: await tasks(`'supervision.task-signed-off.v1'`),
    };
    // What the story did: four tasks; 河东新区’s reminded and escalated, 经开区’s reminded; both overdue; three closed.
    expect(fromEvents).toEqual({ issued: 4, supervised: 2, escalated: 1, overdue: 2, closed: 3 });
    const made = await count(`SELECT count(*) AS n FROM events WHERE type = 'governance.recommendation-made.v1' AND (data->>'madeAt')::timestamptz >= $1 AND (data->>'madeAt')::timestamptz < $2`);
    const adopted = await count(
      `SELECT count(*) AS n FROM events WHERE type = 'governance.recommendation-answered.v1' AND (data->>'adopted')::boolean AND (data->>'answeredAt')::timestamptz >= $1 AND (data->>'answeredAt')::timestamptz < $2`,
    );
    expect({ made, adopted }).toEqual({ made: 2, adopted: 1 });
    const rows = (
      await api.sql.query<{ rule: string; unit: string | null; n: string }>(
        `SELECT data->>'rule' AS rule, data->>'unitId' AS unit, count(*) AS n FROM events WHERE type = 'findings.finding-detected.v1'
            AND (data->>'detectedAt')::timestamptz >= $1 AND (data->>'detectedAt')::timestamptz < $2 GROUP BY 1, 2`,
        [from, to],
      )
    ).rows;
    const byRule: Record<string, number> = {};
    const byUnit: Record<string, number> = {};
    for (const f of rows) {
      byRule[f.rule] = (byRule[f.rule] ?? 0) + Number(f.n);
      if (f.unit !== null) byUnit[f.unit] = (byUnit[f.unit] ?? 0) + Number(f.n);
    }
    expect(byRule).toEqual({ task_overdue: 2, daily_report_missed: 5, nil_report_contradicted: 1, late_incident_report: 1, recommendation_unanswered: 1, rectification_overdue: 1 });
    expect(byUnit).toEqual({ hedong: 4, pengxi: 4, jingkai: 3 });

    for (const who of ['officeLead', 'inspector']) {
      const stats = ok(await read(`/statistics/annual?year=${YEAR}`, who)).body as Record<string, Record<string, unknown>>;
      expect(stats.tasks).toMatchObject({ ...fromEvents, closedOnTime: 2, escalatedByLevel: { blue: 0, yellow: 0, red: 1, listed: 0 } });
      expect(stats.recommendations).toMatchObject({ made, answered: 1, adopted, byKind: { improve_work: { made: 1, answered: 1, adopted: 1 }, improve_policy: { made: 1, answered: 0, adopted: 0 } } });
      const served = stats.findings as { total: number; byRule: Record<string, number>; byUnit: { unitId: string; count: number }[]; topUnits: { unitId: string; rank: number }[] };
      expect(served.total).toBe(rows.reduce((n, f) => n + Number(f.n), 0));
      expect(Object.fromEntries(Object.entries(served.byRule).filter(([, n]) => n > 0))).toEqual(byRule);
      expect(Object.fromEntries(served.byUnit.map((u) => [u.unitId, u.count]))).toEqual(byUnit);
      expect(served.topUnits.map((u) => [u.unitId, u.rank])).toEqual([
        ['hedong', 1],
        ['pengxi', 1],
        ['jingkai', 3],
      ]);
    }
  });

  it('answered every request of this journey as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

import { ApiHarness, ok, type Reply } from './support/api-harness';
import { OpenApiContract } from './support/openapi';
import { type UnitComplianceReply } from './support/governance-replies';

const MISSED = 'governance.daily-report-missed.v1';


describe('reporting windows (敏感时期零报告): daily reports filed, late and missed at the Beijing cut-off', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  /** Moves the server's clock to a Beijing wall-clock time, e.g. `2030-03-05T17:00`. */
  const clockTo = async (beijing: string): Promise<Reply> => ok(await api.post('/dev/clock', 'office', { set: `${beijing}:00+08:00` }));
  const head = async (): Promise<string> => (await api.sql.query<{ p: string }>('SELECT coalesce(max(position), 0) AS p FROM events')).rows[0]?.p ?? '0';
  const compliance = async (windowId: string, who = 'office'): Promise<UnitComplianceReply[]> => ok(await api.get(`/reporting-windows/${windowId}/compliance?minPosition=${await head()}`, who)).body.units as UnitComplianceReply[];
  /** Each unit's statuses, day by day, as one line. */
  const matrix = async (windowId: string, who = 'office'): Promise<Record<string, string>> => Object.fromEntries((await compliance(windowId, who)).map((u) => [u.unitId, u.days.map((d) => d.status).join(' ')]));
  const report = (who: string, date: string, body: Record<string, unknown> = { nil: true }, windowId = 'w-lh') => api.post(`/reporting-windows/${windowId}/daily-reports`, who, { date, ...body });
  /** Misses on record, as `unit date ×count`. */
  const misses = async (windowId = 'w-lh'): Promise<string[]> =>
    (
      await api.sql.query<{ unit: string; day: string; n: string }>(
        `SELECT data->>'unitId' AS unit, data->>'date' AS day, count(*) AS n FROM events WHERE type = $1 AND stream_id = $2 GROUP BY 1, 2 ORDER BY 2, 1`,
        [MISSED, `governance.reporting-window-${windowId}`],
      )
    ).rows.map((r) => `${r.unit} ${r.day} ×${r.n}`);
  /** Every refusal is problem+json with its code and leaves the log as it was. */
  const refused = async (attempt: Promise<Reply> | (() => Promise<Reply>), status: number, code: string): Promise<Reply> => {
    const before = await api.eventCount();
    const reply = await (typeof attempt === 'function' ? attempt() : attempt);
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
    expect(reply.contentType).toMatch(/^application\/problem\+json/);
    expect(await api.eventCount()).toBe(before);
    return reply;
  };
  const fields = (reply: Reply): string[] => [...new Set((reply.body.errors ?? []).map((e) => e.field))].sort();
  const window = { id: 'w-lh', name: '全国两会期间信访稳定零报告', from: '2030-03-05', to: '2030-03-09', unitIds: ['chuanshan', 'anju', 'zhujian'] };

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_reporting', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] });
    await api.as('admin', { personId: 'p-ad', name: '管理员', roles: ['admin'] });
    await api.as('chuanshan', { personId: 'p-lw', name: '船山区 刘伟', unitId: 'chuanshan', roles: ['unit'] });
    await api.as('anju', { personId: 'p-cq', name: '安居区 陈强', unitId: 'anju', roles: ['unit', 'unit_lead'] });
    await api.as('zhujian', { personId: 'p-zm', name: '住建局 赵敏', unitId: 'zhujian', roles: ['unit'] });
    await api.as('shehong', { personId: 'p-sh', name: '射洪市 孙杰', unitId: 'shehong', roles: ['unit'] });
    await api.as('unitless', { personId: 'p-nu', name: '无单位', roles: ['unit'] });
    for (const [id, name, kind] of [['chuanshan', '船山区', 'district'], ['anju', '安居区', 'district'], ['zhujian', '市住建局', 'department'], ['shehong', '射洪市', 'county']]) {
      ok(await api.post('/units', 'office', { id, name, kind }), 201);
    }
    // Monday 4 March 2030, 10:00 in Beijing: the window opens tomorrow.
    await clockTo('2030-03-04T10:00');
  });
  afterAll(async () => api?.stop());

  it('opens a window for registered units, 17:00 by default, and refuses bad windows with problem+json, recording nothing', async () => {
    expect(fields(await refused(api.post('/reporting-windows', 'office', { ...window, unitIds: ['chuanshan', 'nowhere'] }), 422, 'UNKNOWN_UNIT'))).toEqual(['unitIds.1']);
    await refused(api.post('/reporting-windows', 'office', { ...window, unitIds: [] }), 422, 'UNITS_REQUIRED');
    await refused(api.post('/reporting-windows', 'office', { ...window, unitIds: ['anju', 'anju'] }), 422, 'DUPLICATE_UNIT');
    await refused(api.post('/reporting-windows', 'office', { ...window, to: '2030-03-04' }), 422, 'WINDOW_ENDS_BEFORE_START');
    await refused(api.post('/reporting-windows', 'office', { ...window, to: '2030-06-05' }), 422, 'WINDOW_TOO_LONG');
    // Today's 17:00 is still ahead, so a window may start today; yesterday is gone.
    await refused(api.post('/reporting-windows', 'office', { ...window, from: '2030-03-03' }), 422, 'WINDOW_STARTS_IN_PAST');
    const malformed = await refused(api.post('/reporting-windows', 'office', { ...window, from: '2030-02-30', cutoff: '5pm', unitIds: 'chuanshan', extra: 1 }), 400, 'VALIDATION_FAILED');
    expect(fields(malformed)).toEqual(['', 'cutoff', 'from', 'unitIds']);
    expect(fields(await refused(api.post('/reporting-windows', 'office', { name: '零报告' }), 400, 'VALIDATION_FAILED'))).toEqual(['from', 'to', 'unitIds']);
    for (const who of ['chuanshan', 'inspector', 'admin']) await refused(api.post('/reporting-windows', who, window), 403, 'ROLE_FORBIDDEN');

    const opened = ok(await api.post('/reporting-windows', 'office', window), 201);
    expect(opened.body).toMatchObject({ id: 'w-lh', version: 1 });
    expect(opened.headers.get('etag')).toBe('"1"');
    await refused(api.post('/reporting-windows', 'office', window), 409, 'WINDOW_ALREADY_EXISTS');
    const [event] = await api.events('governance.reporting-window-w-lh');
    const { id: windowId, ...windowFields } = window;
    expect(event).toMatchObject({ type: 'governance.reporting-window-opened.v1', data: { ...windowFields, windowId, cutoff: '17:00' }, metadata: { actor: { personId: 'p-wf' } } });
    const read = ok(await api.get(`/reporting-windows/w-lh?minPosition=${String(opened.body.position)}`, 'office')).body;
    expect(read).toEqual({ ...window, cutoff: '17:00', openedAt: '2030-03-04T10:00:00.000+08:00', openedBy: { personId: 'p-wf', name: '联席办 王芳' }, version: 1 });
    expect(await matrix('w-lh')).toEqual({ chuanshan: 'pending pending pending pending pending', anju: 'pending pending pending pending pending', zhujian: 'pending pending pending pending pending' });
  });

  it('takes one report per listed unit and day, nil or with items, on time before 17:00 Beijing', async () => {
    await clockTo('2030-03-05T10:00');
    expect(ok(await report('chuanshan', '2030-03-05')).body).toMatchObject({ id: 'w-lh', version: 2, unitId: 'chuanshan', date: '2030-03-05', late: false });
    const items = [{ summary: '12 人到区政府集体访，已劝返', occurredAt: '2030-03-05T08:30:00+08:00' }, { summary: '网上涉稳舆情 1 起' }];
    expect(ok(await report('anju', '2030-03-05', { nil: false, items })).body).toMatchObject({ unitId: 'anju', late: false });
    const filed = (await api.events('governance.reporting-window-w-lh'))[2];
    expect(filed).toMatchObject({
      type: 'governance.daily-report-filed.v1',
      data: { unitId: 'anju', date: '2030-03-05', nil: false, items: [{ summary: items[0]?.summary, occurredAt: '2030-03-05T00:30:00.000Z' }, { summary: items[1]?.summary, occurredAt: null }], late: false, cutoffAt: '2030-03-05T09:00:00.000Z' },
      metadata: { actor: { personId: 'p-cq', unitId: 'anju' } },
    });
    const [chuanshan, anju] = await compliance('w-lh');
    expect(chuanshan?.days[0]).toEqual({ date: '2030-03-05', cutoffAt: '2030-03-05T17:00:00.000+08:00', status: 'filed', filedAt: '2030-03-05T10:00:00.000+08:00', nil: true, itemCount: 0, reportEventId: expect.any(String), missedEventId: null });
    expect(anju?.days[0]).toMatchObject({ status: 'filed', nil: false, itemCount: 2 });
  });

  it('refuses a second report, a day outside the window or not yet begun, an unlisted unit, other roles and malformed bodies, recording nothing', async () => {
    await refused(report('chuanshan', '2030-03-05', { nil: false, items: [{ summary: '补报' }] }), 409, 'DAILY_REPORT_ALREADY_FILED');
    expect(fields(await refused(report('zhujian', '2030-03-04'), 422, 'DATE_OUTSIDE_WINDOW'))).toEqual(['date']);
    await refused(report('zhujian', '2030-03-10'), 422, 'DATE_OUTSIDE_WINDOW');
    await refused(report('zhujian', '2030-03-06'), 422, 'DATE_IN_FUTURE');
    await refused(report('shehong', '2030-03-05'), 403, 'UNIT_NOT_LISTED');
    await refused(report('unitless', '2030-03-05'), 403, 'UNIT_REQUIRED');
    for (const who of ['office', 'inspector', 'admin']) await refused(report(who, '2030-03-05'), 403, 'ROLE_FORBIDDEN');
    await refused(report('zhujian', '2030-03-05', { nil: true, items: [{ summary: '集体访' }] }), 422, 'NIL_REPORT_WITH_ITEMS');
    await refused(report('zhujian', '2030-03-05', { nil: false }), 422, 'ITEMS_REQUIRED');
    await refused(report('zhujian', '2030-03-05', { nil: false, items: [{ summary: '集体访', occurredAt: '2030-03-05T12:00:00+08:00' }] }), 422, 'OCCURRED_IN_FUTURE');
    await refused(report('zhujian', '2030-03-05', { nil: true }, 'w-nowhere'), 404, 'WINDOW_NOT_FOUND');
    const malformed = await refused(report('zhujian', '2030-3-5', { nil: 'yes', items: [{ summary: '' }], unitId: 'anju' }), 400, 'VALIDATION_FAILED');
    expect(fields(malformed)).toEqual(['', 'date', 'items.0.summary', 'nil']);
    await refused(api.post('/reporting-windows/w-lh/daily-reports', 'zhujian', '{"date":'), 400, 'MALFORMED_JSON');
    expect(await matrix('w-lh')).toMatchObject({ zhujian: 'pending pending pending pending pending' });
  });

  it('records DailyReportMissed at 17:00 Beijing for the unit that has not filed, once, however often the clock moves on', async () => {
    const before = await clockTo('2030-03-05T16:59');
    expect(before.body.recorded).toBe(0);
    expect(await misses()).toEqual([]);
    const atCutoff = await clockTo('2030-03-05T17:00');
    expect(atCutoff.body.recorded).toBe(1);
    expect(await misses()).toEqual(['zhujian 2030-03-05 ×1']);
    const [missed] = (await api.events('governance.reporting-window-w-lh')).filter((e) => e.type === MISSED);
    expect(missed).toMatchObject({ data: { windowId: 'w-lh', unitId: 'zhujian', date: '2030-03-05', cutoffAt: '2030-03-05T09:00:00.000Z' }, metadata: { actor: { personId: 'system' } } });
    for (const time of ['2030-03-05T17:30', '2030-03-05T23:00']) expect((await clockTo(time)).body.recorded).toBe(0);
    expect(await misses()).toEqual(['zhujian 2030-03-05 ×1']);
    const zhujian = (await compliance('w-lh')).find((u) => u.unitId === 'zhujian');
    expect(zhujian?.days[0]).toMatchObject({ status: 'missed', filedAt: null, missedEventId: expect.any(String) });
    expect(zhujian).toMatchObject({ filed: 0, late: 0, missed: 1, pending: 4 });
  });

  it('accepts a report after the cut-off as late, keeping the miss on record, and a past day of the window the next morning', async () => {
    const late = ok(await report('zhujian', '2030-03-05', { nil: true }));
    expect(late.body).toMatchObject({ unitId: 'zhujian', date: '2030-03-05', late: true });
    expect(await misses()).toEqual(['zhujian 2030-03-05 ×1']);
    await refused(report('zhujian', '2030-03-05'), 409, 'DAILY_REPORT_ALREADY_FILED');

    // Wednesday 6 March: nobody files; at 17:00 every unit is missed.
    await clockTo('2030-03-06T12:00');
    expect((await clockTo('2030-03-06T17:00')).body.recorded).toBe(3);
    expect(ok(await report('chuanshan', '2030-03-06')).body.late).toBe(true);
    await clockTo('2030-03-07T09:00');
    expect(ok(await report('anju', '2030-03-06', { nil: false, items: [{ summary: '越级访 2 人，已接回' }] })).body.late).toBe(true);
    expect(await misses()).toEqual(['zhujian 2030-03-05 ×1', 'anju 2030-03-06 ×1', 'chuanshan 2030-03-06 ×1', 'zhujian 2030-03-06 ×1']);
    const zhujian = (await compliance('w-lh')).find((u) => u.unitId === 'zhujian');
    expect(zhujian?.days[0]).toMatchObject({ status: 'late', filedAt: '2030-03-05T23:00:00.000+08:00', missedEventId: expect.any(String), reportEventId: expect.any(String) });
  });

  it('walks the rest of the window day by day: filed, late, missed and pending per unit and day, nothing after the last day', async () => {
    // Thursday 7 March, 09:00: chuanshan and anju file; zhujian forgets.
    ok(await report('chuanshan', '2030-03-07'));
    ok(await report('anju', '2030-03-07'));
    await clockTo('2030-03-07T18:00');
    // 8 March before the cut-off: today is pending, tomorrow too.
    await clockTo('2030-03-08T16:00');
    ok(await report('zhujian', '2030-03-08'));
    expect(await matrix('w-lh')).toEqual({
      chuanshan: 'filed late filed pending pending',
      anju: 'filed late filed pending pending',
      zhujian: 'late missed missed filed pending',
    });
    // The clock jumps past the last day: 8 and 9 March are settled at once, and later days record nothing.
    await clockTo('2030-03-10T08:00');
    const afterLast = await api.eventCount();
    for (const time of ['2030-03-11T17:00', '2030-03-20T17:00']) expect((await clockTo(time)).body.recorded).toBe(0);
    expect(await api.eventCount()).toBe(afterLast);
    expect(await matrix('w-lh')).toEqual({
      chuanshan: 'filed late filed missed missed',
      anju: 'filed late filed missed missed',
      zhujian: 'late missed missed filed missed',
    });
    const counts = (await compliance('w-lh')).map((u) => [u.unitId, u.filed, u.late, u.missed, u.pending]);
    expect(counts).toEqual([
      ['chuanshan', 2, 1, 2, 0],
      ['anju', 2, 1, 2, 0],
      ['zhujian', 1, 1, 3, 0],
    ]);
    const all = await misses();
    expect(all).toHaveLength(10);
    expect(all.every((m) => m.endsWith('×1'))).toBe(true);
  });

  it('records each miss once when two api processes reach the cut-off at the same moment', async () => {
    ok(await api.post('/reporting-windows', 'office', { ...window, id: 'w-race', name: '国庆前夕零报告', from: '2030-03-21', to: '2030-03-23', cutoff: '09:30' }), 201);
    const second = await api.boot({ CLOCK_MODE: 'manual' });
    for (const beijing of ['2030-03-21T09:30', '2030-03-22T12:00', '2030-03-24T00:00']) {
      const set = { set: `${beijing}:00+08:00` };
      const replies = await Promise.all([api.send('POST', '/dev/clock', 'office', set), api.send('POST', '/dev/clock', 'office', set, {}, second)]);
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
    }
    const race = await misses('w-race');
    expect(race).toHaveLength(9);
    expect(race.filter((m) => !m.endsWith('×1'))).toEqual([]);
    expect(await matrix('w-race')).toEqual({ chuanshan: 'missed missed missed', anju: 'missed missed missed', zhujian: 'missed missed missed' });
  });

  it('lets the office and inspectors read every unit, a unit user only its own, and no other role', async () => {
    expect(Object.keys(await matrix('w-lh', 'inspector'))).toEqual(['chuanshan', 'anju', 'zhujian']);
    expect(await matrix('w-lh', 'anju')).toEqual({ anju: 'filed late filed missed missed' });
    await refused(api.get('/reporting-windows/w-lh/compliance', 'shehong'), 404, 'WINDOW_NOT_FOUND');
    await refused(api.get('/reporting-windows/w-lh', 'shehong'), 404, 'WINDOW_NOT_FOUND');
    await refused(api.get('/reporting-windows/w-nowhere/compliance', 'office'), 404, 'WINDOW_NOT_FOUND');
    await refused(api.get('/reporting-windows/w-lh/compliance', 'admin'), 403, 'ROLE_FORBIDDEN');
    await refused(api.get('/reporting-windows/w-lh/compliance', 'unitless'), 403, 'ROLE_NOT_ALLOWED');
    expect(ok(await api.get('/reporting-windows/w-lh', 'chuanshan')).body.unitIds).toEqual(['chuanshan']);
    const mine = ok(await api.get('/reporting-windows', 'zhujian')).body;
    expect((mine.items as { id: string; unitIds: string[] }[]).map((w) => [w.id, w.unitIds])).toEqual([
      ['w-lh', ['zhujian']],
      ['w-race', ['zhujian']],
    ]);
    expect(ok(await api.get('/reporting-windows', 'shehong')).body).toEqual({ items: [], nextCursor: null });
    const first = ok(await api.get('/reporting-windows?limit=1', 'office')).body;
    const rest = ok(await api.get(`/reporting-windows?limit=50&cursor=${String(first.nextCursor)}`, 'office')).body;
    expect([...(first.items as { id: string }[]), ...(rest.items as { id: string }[])].map((w) => w.id)).toEqual(['w-lh', 'w-race']);
    await refused(api.get('/reporting-windows?limit=0', 'office'), 400, 'INVALID_LIMIT');
  });

  it('answered every request of this journey as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

import { ApiHarness, ok } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

const DAY = 86_400_000;

describe('the 督办 task lifecycle over HTTP (manual clock)', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let now: number;
  const at = (days: number): string => new Date(now + days * DAY).toISOString();
  const fresh = async (id: string, who = 'office'): Promise<Record<string, unknown>> => {
    const head = (await api.sql.query<{ p: string }>('SELECT max(position) AS p FROM events')).rows[0]?.p ?? '0';
    return ok(await api.get(`/tasks/${id}?minPosition=${head}`, who)).body;
  };
  const issue = (id: string, extra: Record<string, unknown> = {}) =>
    api.post('/tasks', 'office', { id, title: `任务 ${id}`, description: '落实会议议定事项', source: { kind: 'upper_level', ref: '省交办 14 件之一' }, leadUnitId: 'chuanshan', coUnitIds: ['zhujian'], dueAt: at(20), reportEveryDays: 7, ...extra });

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_tasks', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('admin', { personId: 'p-admin', name: '管理员', roles: ['admin'] });
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    await api.as('lead', { personId: 'p-zj', name: '联席办主任 赵军', roles: ['office', 'office_lead'] });
    await api.as('cs', { personId: 'p-lw', name: '船山区 刘伟', unitId: 'chuanshan', roles: ['unit'] });
    await api.as('csLead', { personId: 'p-cq', name: '船山区 陈强', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] });
    await api.as('zjLead', { personId: 'p-hy', name: '住建局 黄燕', unitId: 'zhujian', roles: ['unit', 'unit_lead'] });
    await api.as('hdLead', { personId: 'p-he', name: '河东新区 何二', unitId: 'hedong', roles: ['unit', 'unit_lead'] });
    await api.as('inspector', { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] });
    for (const [id, name, kind] of [['chuanshan', '船山区', 'district'], ['zhujian', '住建局', 'department'], ['hedong', '河东新区', 'zone']]) ok(await api.post('/units', 'admin', { id, name, kind }), 201);
    now = Date.parse(String(ok(await api.get('/dev/clock', 'office')).body.now));
  });
  afterAll(async () => api?.stop());

  it('from a meeting decision to sign-off (销号), with the units’ and office’s steps on record', async () => {
    ok(await api.post('/meetings', 'office', { id: 'm2', title: '2026年第二次全体会议', kind: 'plenary', convenorId: 'p-sj', convenorName: '副书记', heldAt: at(0), attendees: [{ personId: 'p-sj', name: '副书记' }, { personId: 'p-zr', name: '办公室主任' }] }), 201);
    const decided = ok(await api.post('/meetings/m2/decisions', 'office', { text: '烂尾楼问题专项化解', deciders: ['p-sj'], participants: ['p-zr'], dissents: [], tasks: [{ id: 'lanwei', title: '烂尾楼复工', description: '推动项目复工交房', leadUnitId: 'chuanshan', coUnitIds: ['zhujian'], dueAt: at(20), reportEveryDays: 7, caseLeader: { personId: 'p-sj', name: '副书记' } }] }), 201);
    expect(decided.body).toMatchObject({ taskIds: ['lanwei'] });
    const issued = await fresh('lanwei');
    expect(issued).toMatchObject({ id: 'lanwei', status: 'issued', leadUnitId: 'chuanshan', coUnitIds: ['zhujian'], source: { kind: 'meeting_decision', ref: expect.stringMatching(/^m2\//) }, escalation: 'none', rag: 'green', caseLeader: { personId: 'p-sj' } });
    expect(String(issued.dueAt)).toMatch(/\+08:00$/);
    expect(issued.dueAt).toBe(issued.originalDueAt);

    const signed = ok(await api.post('/tasks/lanwei/sign-for', 'cs'));
    // ETags are versions (If-Match takes them), never a hash of the body on a read.
    expect(signed.headers.get('etag')).toBe(`"${String(signed.body.version)}"`);
    const read = ok(await api.get('/tasks/lanwei', 'office'));
    expect([read.headers.get('etag'), read.headers.get('x-powered-by')]).toEqual([null, null]);
    ok(await api.post('/tasks/lanwei/sign-for', 'zjLead'));
    ok(await api.post('/dev/clock', 'office', { advance: 'P1D' }));
    now += DAY;
    ok(await api.post('/tasks/lanwei/progress-reports', 'cs', { summary: '已复工两栋', percent: 40 }));
    ok(await api.post('/tasks/lanwei/progress-reports', 'zjLead', { summary: '住建局配合审批', occurredAt: at(-0.5) }));
    expect((await api.post('/tasks/lanwei/completion-report', 'zjLead', { summary: '协办完成' })).body.code).toBe('LEAD_UNIT_ONLY');
    expect((await api.post('/tasks/lanwei/completion-report', 'cs', { summary: '办结' })).status).toBe(403);
    ok(await api.post('/tasks/lanwei/completion-report', 'csLead', { summary: '已全部复工', evidence: '现场照片' }));
    ok(await api.post('/tasks/lanwei/review', 'office', { decision: 'accept', reason: '核实属实' }));
    expect((await api.post('/tasks/lanwei/signoff', 'office')).status).toBe(403);
    const closed = ok(await api.post('/tasks/lanwei/signoff', 'lead'));
    expect(closed.headers.get('etag')).toBe(`"${String(closed.body.version)}"`);
    ok(await api.post('/tasks/lanwei/evaluation', 'office', { rating: 5, comment: '群众满意' }));
    expect(await fresh('lanwei')).toMatchObject({ status: 'closed', closedOnTime: true, rating: 5, signedFor: ['chuanshan', 'zhujian'] });
    const events = await api.events('supervision.task-lanwei');
    expect(events.map((e) => e.type)).toEqual([
      'supervision.task-issued.v1',
      'supervision.task-signed-for.v1',
      'supervision.task-signed-for.v1',
      'supervision.progress-reported.v1',
      'supervision.progress-reported.v1',
      'supervision.completion-reported.v1',
      'supervision.completion-reviewed.v1',
      'supervision.task-signed-off.v1',
      'supervision.task-evaluated.v1',
    ]);
    expect(events[4]?.metadata).toMatchObject({ actor: { personId: 'p-hy', unitId: 'zhujian' }, occurredAt: at(-0.5) });
  });

  it('objection, then reassignment to another unit which signs for it afresh', async () => {
    ok(await issue('wuye'), 201);
    ok(await api.post('/tasks/wuye/objections', 'cs', { reason: '物业管理属住建部门职责' }));
    expect((await fresh('wuye')).status).toBe('objected');
    expect((await api.post('/tasks/wuye/objections/decision', 'office', { uphold: true, reassignTo: 'nowhere', reason: '改派' })).body.code).toBe('UNKNOWN_UNIT');
    ok(await api.post('/tasks/wuye/objections/decision', 'office', { uphold: true, reassignTo: 'hedong', reason: '改由河东新区牵头' }));
    expect(await fresh('wuye')).toMatchObject({ status: 'issued', leadUnitId: 'hedong' });
    expect((await api.post('/tasks/wuye/sign-for', 'cs')).status).toBe(403);
    expect((await api.get('/tasks/wuye', 'cs')).status).toBe(403);
    ok(await api.post('/tasks/wuye/sign-for', 'hdLead'));
    expect((await fresh('wuye', 'hdLead')).status).toBe('acknowledged');
    ok(await issue('chanquan'), 201);
    ok(await api.post('/tasks/chanquan/objections', 'csLead', { reason: '不属于本单位' }));
    ok(await api.post('/tasks/chanquan/objections/decision', 'office', { uphold: false, reason: '属于属地职责' }));
    expect((await fresh('chanquan')).status).toBe('acknowledged');
  });

  it('extension only before the deadline; approval moves dueAt and keeps originalDueAt; send back keeps the clock', async () => {
    ok(await issue('jizi', { dueAt: at(10) }), 201);
    ok(await api.post('/tasks/jizi/sign-for', 'cs'));
    expect((await api.post('/tasks/jizi/extension-requests', 'cs', { reason: '资金', proposedDueAt: at(30), progress: '60%' })).status).toBe(403);
    ok(await api.post('/tasks/jizi/extension-requests', 'csLead', { reason: '资金未到位', proposedDueAt: at(30), progress: '完成60%' }));
    expect((await api.post('/tasks/jizi/extension-requests/decision', 'office', { approve: true, reason: '同意' })).status).toBe(403);
    ok(await api.post('/tasks/jizi/extension-requests/decision', 'lead', { approve: true, reason: '同意延期' }));
    const extended = await fresh('jizi');
    expect(Date.parse(String(extended.dueAt))).toBe(Date.parse(at(30)));
    expect(Date.parse(String(extended.originalDueAt))).toBe(Date.parse(at(10)));
    ok(await api.post('/tasks/jizi/completion-report', 'csLead', { summary: '办结' }));
    ok(await api.post('/tasks/jizi/review', 'office', { decision: 'send_back', reason: '材料不全' }));
    const back = await fresh('jizi');
    expect(back).toMatchObject({ status: 'in_progress', sentBack: 1, dueAt: extended.dueAt });

    ok(await issue('late', { dueAt: at(2) }), 201);
    ok(await api.post('/tasks/late/sign-for', 'cs'));
    ok(await api.post('/dev/clock', 'office', { advance: 'P3D' }));
    now += 3 * DAY;
    const refused = await api.post('/tasks/late/extension-requests', 'csLead', { reason: '来不及', proposedDueAt: at(10), progress: '一半' });
    expect(refused).toMatchObject({ status: 422, body: { code: 'EXTENSION_AFTER_DEADLINE' } });
    expect(refused.contentType).toContain('application/problem+json');
  });

  it('deadline → yellow → overdue (red) → the escalation ladder, recorded once by the system', async () => {
    ok(await issue('ladder', { dueAt: at(6), reportEveryDays: 30 }), 201);
    ok(await api.post('/tasks/ladder/sign-for', 'cs'));
    ok(await api.post('/tasks/ladder/sign-for', 'zjLead'));
    ok(await api.post('/tasks/ladder/progress-reports', 'cs', { summary: '开始' }));
    expect((await fresh('ladder')).rag).toBe('green');
    const soon = ok(await api.post('/dev/clock', 'office', { advance: 'P4D' }));
    now += 4 * DAY;
    expect(Number(soon.body.recorded)).toBeGreaterThan(0);
    expect(await fresh('ladder')).toMatchObject({ rag: 'yellow', overdue: false });
    ok(await api.post('/dev/clock', 'office', { advance: 'P3D' }));
    now += 3 * DAY;
    expect(await fresh('ladder')).toMatchObject({ rag: 'red', overdue: true });
    ok(await api.post('/dev/clock', 'office', { advance: 'PT1H' }));
    now += 3_600_000;
    const system = (await api.events('supervision.task-ladder')).filter((e) => (e.metadata.actor as { personId: string }).personId === 'system').map((e) => e.type);
    expect(system).toEqual(['supervision.deadline-approaching.v1', 'supervision.task-overdue.v1']);
    ok(await api.post('/tasks/ladder/reminders', 'office', { message: '请抓紧办理' }));
    for (const level of ['blue', 'yellow', 'red']) ok(await api.post('/tasks/ladder/escalations', 'office', { level, reason: '逾期未办结' }));
    expect((await api.post('/tasks/ladder/escalations', 'office', { level: 'yellow', reason: '降级' })).body.code).toBe('ESCALATION_NOT_HIGHER');
    ok(await api.post('/tasks/ladder/escalations', 'lead', { level: 'listed', reason: '挂牌督办' }));
    expect(await fresh('ladder')).toMatchObject({ escalation: 'listed', rag: 'red' });
    const board = ok(await api.get(`/boards/units/chuanshan?minPosition=1`, 'csLead')).body as { counts: { overdue: number; red: number }; actionsNeeded: { taskId: string; action: string }[] };
    expect(board.counts.overdue).toBeGreaterThanOrEqual(1);
    expect(board.actionsNeeded).toEqual(expect.arrayContaining([{ taskId: 'ladder', action: 'completion_report', dueAt: expect.any(String) }]));
    const office = ok(await api.get('/boards/office', 'inspector')).body as { items: { unitId: string; overdue: number; escalations: number }[] };
    expect(office.items.find((r) => r.unitId === 'chuanshan')).toMatchObject({ overdue: expect.any(Number), escalations: expect.any(Number) });
    expect(office.items.find((r) => r.unitId === 'chuanshan')?.escalations).toBeGreaterThanOrEqual(1);
  });

  it('reopen a closed task with a new deadline; cancel is office_lead’s', async () => {
    ok(await api.post('/tasks/lanwei/reopen', 'office', { reason: '重复信访', dueAt: at(15) }));
    expect(await fresh('lanwei')).toMatchObject({ status: 'in_progress', closedAt: null });
    expect((await api.post('/tasks/lanwei/cancel', 'office', { reason: 'x' })).status).toBe(403);
    ok(await api.post('/tasks/lanwei/cancel', 'lead', { reason: '并案处理' }));
    expect((await api.post('/tasks/lanwei/progress-reports', 'cs', { summary: 'x' })).body.code).toBe('TASK_NOT_OPEN');
  });

  it('lists: the office sees all, a unit only its own, filters by status, rag and overdue, paged', async () => {
    const all = ok(await api.get('/tasks?limit=2', 'office')).body as { items: { id: string }[]; nextCursor: string | null };
    expect(all.items).toHaveLength(2);
    const next = ok(await api.get(`/tasks?limit=50&cursor=${all.nextCursor ?? ''}`, 'office')).body as { items: { id: string }[] };
    expect(next.items.map((t) => t.id)).not.toContain(all.items[0]?.id);
    const hd = ok(await api.get('/tasks', 'hdLead')).body as { items: { id: string }[] };
    expect(hd.items.map((t) => t.id)).toEqual(['wuye']);
    expect((await api.get('/tasks?unitId=chuanshan', 'hdLead')).status).toBe(403);
    const overdue = ok(await api.get('/tasks?overdue=true', 'inspector')).body as { items: { id: string; rag: string }[] };
    expect(overdue.items.map((t) => t.id)).toContain('ladder');
    expect(overdue.items.every((t) => t.rag === 'red')).toBe(true);
    expect((await api.get('/tasks?rag=purple', 'office')).status).toBe(400);
    expect((await api.get('/boards/units/chuanshan', 'hdLead')).status).toBe(403);
    expect((await api.get('/boards/office', 'csLead')).status).toBe(403);
  });

  it('answered every request of this journey as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

import type { Role } from '@app/shared-kernel';
import { ApiHarness, ok } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

const DAY = 86_400_000;
const [A, B, C] = ['chuanshan', 'zhujian', 'hedong'];

/** Who is who: A leads the task, B is its co-unit, C a stranger to it. */
const USERS: Record<string, { unitId?: string; roles: Role[] }> = {
  aUnit: { unitId: A, roles: ['unit'] },
  aLead: { unitId: A, roles: ['unit', 'unit_lead'] },
  bLead: { unitId: B, roles: ['unit', 'unit_lead'] },
  cUnit: { unitId: C, roles: ['unit'] },
  cLead: { unitId: C, roles: ['unit', 'unit_lead'] },
  office: { roles: ['office'] },
  officeLead: { roles: ['office', 'office_lead'] },
  inspector: { roles: ['inspector'] },
  admin: { roles: ['admin'] },
};

const reason = '理由';
/** Every command on a task (API.md), a body it would accept, and the roles it is for. */
const COMMANDS: { action: string; body: Record<string, unknown>; roles: Role[] }[] = [
  { action: 'sign-for', body: {}, roles: ['unit', 'unit_lead'] },
  { action: 'objections', body: { reason }, roles: ['unit', 'unit_lead'] },
  { action: 'objections/decision', body: { uphold: false, reason }, roles: ['office', 'office_lead'] },
  { action: 'progress-reports', body: { summary: '进展' }, roles: ['unit', 'unit_lead'] },
  { action: 'extension-requests', body: { reason, proposedDueAt: '2099-01-01T00:00:00Z', progress: '一半' }, roles: ['unit_lead'] },
  { action: 'extension-requests/decision', body: { approve: false, reason }, roles: ['office_lead'] },
  { action: 'completion-report', body: { summary: '办结' }, roles: ['unit_lead'] },
  { action: 'review', body: { decision: 'accept', reason }, roles: ['office', 'office_lead'] },
  { action: 'signoff', body: {}, roles: ['office_lead'] },
  { action: 'reminders', body: { message: '请抓紧' }, roles: ['office', 'office_lead'] },
  { action: 'case-leader', body: { personId: 'p-lihong', name: '李红', reason }, roles: ['office', 'office_lead'] },
  { action: 'escalations', body: { level: 'blue', reason }, roles: ['office', 'office_lead'] },
  { action: 'evaluation', body: { rating: 5 }, roles: ['office', 'office_lead'] },
  { action: 'reopen', body: { reason }, roles: ['office', 'office_lead'] },
  { action: 'cancel', body: { reason }, roles: ['office_lead'] },
];

const mayCall = (who: string, roles: Role[]): boolean => (USERS[who]?.roles ?? []).some((r) => roles.includes(r));
const STRANGERS = ['cUnit', 'cLead'];
/** A's task open, and one of A's that is over (cancelled): a stranger learns nothing from either. */
const A_TASKS = ['a-open', 'a-gone'];

describe('unit isolation for every endpoint (a unit never reads or changes another unit’s task, board or list)', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let http: Pick<ApiHarness, 'send' | 'get' | 'post'>;

  /** A request that must be refused with this status and code, recording nothing. */
  const refused = async (method: 'GET' | 'POST', path: string, who: string, status: number, code: string, body: unknown = {}): Promise<void> => {
    const before = await api.eventCount();
    const reply = method === 'GET' ? await http.get(path, who) : await http.post(path, who, body);
    expect({ who, path, status: reply.status, code: reply.body.code }).toEqual({ who, path, status, code });
    expect(reply.contentType).toMatch(/^application\/problem\+json/);
    expect(Object.keys(reply.body)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']));
    expect(await api.eventCount()).toBe(before);
  };
  const idsOf = (items: unknown): string[] => (items as { id?: string; taskId?: string }[]).map((t) => t.id ?? t.taskId ?? '?');
  /** Every task a user's list shows, following nextCursor page by page. */
  const everyPage = async (query: string, who: string): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = ok(await http.get(`/tasks?${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, who)).body as { items: unknown[]; nextCursor: string | null };
      ids.push(...idsOf(page.items));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return ids;
  };

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_isolation', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    http = contract.watch(api);
    for (const [name, { unitId, roles }] of Object.entries(USERS)) await api.as(name, { personId: `p-${name}`, name, roles, ...(unitId ? { unitId } : {}) });
    for (const [id, name] of [[A, '船山区'], [B, '住建局'], [C, '河东新区']]) ok(await http.post('/units', 'admin', { id, name, kind: 'district' }), 201);
    const now = Date.parse(String(ok(await http.get('/dev/clock', 'office')).body.now));
    const issue = (id: string, leadUnitId: string, coUnitIds: string[]) =>
      http.post('/tasks', 'office', { id, title: `任务 ${id}`, description: '落实', source: { kind: 'other' }, leadUnitId, coUnitIds, dueAt: new Date(now + 30 * DAY).toISOString() });
    ok(await issue('a-open', A, [B]), 201);
    ok(await issue('a-gone', A, [B]), 201);
    ok(await issue('c-task', C, []), 201);
    ok(await http.post('/tasks/a-gone/cancel', 'officeLead', { reason: '并案' }));
    // C acts on its own task: the refusals below are about whose task it is, not about roles.
    ok(await http.post('/tasks/c-task/sign-for', 'cUnit'));
    ok(await http.post('/tasks/c-task/progress-reports', 'cLead', { summary: '开始办理' }));
    ok(await http.get(`/tasks/c-task?minPosition=${String((await api.sql.query<{ p: string }>('SELECT max(position) AS p FROM events')).rows[0]?.p)}`, 'cLead'));
  });
  afterAll(async () => api?.stop());

  describe.each(STRANGERS)('C’s %s', (who) => {
    const cases = A_TASKS.flatMap((task) => COMMANDS.map((c) => [task, c.action, c] as const));
    const strangerRefused = async (task: string, command: (typeof COMMANDS)[number]): Promise<void> =>
      refused('POST', `/tasks/${task}/${command.action}`, who, 403, mayCall(who, command.roles) ? 'NOT_YOUR_TASK' : 'ROLE_FORBIDDEN', command.body);
    it.each(cases)('is refused on %s: POST /tasks/{id}/%s', async (task, _action, command) => strangerRefused(task, command));

    it('cannot read A’s tasks, A’s or B’s board, or filter the list by A or B', async () => {
      for (const task of A_TASKS) await refused('GET', `/tasks/${task}`, who, 403, 'NOT_YOUR_TASK');
      for (const unit of [A, B]) {
        await refused('GET', `/boards/units/${unit}`, who, 403, 'NOT_YOUR_UNIT');
        await refused('GET', `/tasks?unitId=${unit}`, who, 403, 'NOT_YOUR_UNIT');
      }
    });

    it('never finds A’s tasks in its lists or on its board, whatever the filter or page', async () => {
      for (const query of ['', 'unitId=hedong', 'status=acknowledged', 'status=issued', 'status=cancelled', 'rag=green', 'overdue=false']) {
        const listed = idsOf(ok(await http.get(`/tasks?${query}`, who)).body.items);
        expect({ query, listed: listed.filter((id) => !id.startsWith('c-')) }).toEqual({ query, listed: [] });
      }
      expect(await everyPage('', who)).toEqual(['c-task']);
      const board = ok(await http.get(`/boards/units/${C}`, who)).body;
      expect([...idsOf(board.tasks), ...idsOf(board.actionsNeeded)].filter((id) => id !== 'c-task')).toEqual([]);
    });
  });

  it('lets the co-unit B and the inspector see A’s task where C cannot (so the refusals are about scope)', async () => {
    for (const who of ['bLead', 'aUnit', 'inspector', 'office']) expect(ok(await http.get('/tasks/a-open', who)).body).toMatchObject({ id: 'a-open', leadUnitId: A });
    expect(await everyPage('', 'bLead')).toEqual(expect.arrayContaining(['a-open', 'a-gone']));
    expect(await everyPage('', 'bLead')).not.toContain('c-task');
    expect(idsOf(ok(await http.get(`/boards/units/${B}`, 'bLead')).body.tasks)).toEqual(['a-open']);
  });

  it('gives the inspector every read (200) and no write (403 on every POST)', async () => {
    for (const path of ['/tasks/a-open', '/tasks/c-task', '/tasks', `/tasks?unitId=${A}`, `/boards/units/${A}`, `/boards/units/${C}`, '/boards/office']) ok(await http.get(path, 'inspector'));
    for (const { action, body } of COMMANDS) await refused('POST', `/tasks/a-open/${action}`, 'inspector', 403, 'ROLE_FORBIDDEN', body);
    await refused('POST', '/tasks', 'inspector', 403, 'ROLE_FORBIDDEN', { title: 'x' });
    await refused('POST', '/units', 'inspector', 403, 'ROLE_FORBIDDEN', { name: 'x', kind: 'other' });
    await refused('POST', '/meetings', 'inspector', 403, 'ROLE_FORBIDDEN', { title: 'x' });
  });

  // Unit roles on office commands, the office on unit commands, unit (not unit_lead) on unit_lead's:
  // each on A's own task, so only the role can be the reason.
  const ROLE_CASES = ['aUnit', 'aLead', 'bLead', 'office', 'officeLead'].flatMap((who) => COMMANDS.filter((c) => !mayCall(who, c.roles)).map((c) => [who, c.action, c] as const));
  it.each(ROLE_CASES)('refuses %s the command %s by role (403 ROLE_FORBIDDEN)', async (who, _action, command) => {
    await refused('POST', `/tasks/a-open/${command.action}`, who, 403, 'ROLE_FORBIDDEN', command.body);
  });

  it.each(['completion-report', 'extension-requests', 'objections'])('keeps %s to the lead unit: the co-unit B gets 403 LEAD_UNIT_ONLY', async (action) => {
    const command = COMMANDS.find((c) => c.action === action);
    await refused('POST', `/tasks/a-open/${action}`, 'bLead', 403, 'LEAD_UNIT_ONLY', command?.body);
  });

  it('leaves A’s tasks exactly as they were after every refusal', async () => {
    expect(ok(await http.get('/tasks/a-open', 'office')).body).toMatchObject({ status: 'issued', version: 1, signedFor: [] });
    expect(ok(await http.get('/tasks/a-gone', 'office')).body).toMatchObject({ status: 'cancelled', version: 2 });
    expect((await api.events('supervision.task-a-open')).map((e) => e.type)).toEqual(['supervision.task-issued.v1']);
  });

  it('describes every status it answered in the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
  });
});

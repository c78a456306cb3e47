import type { Role } from '@app/shared-kernel';
import { ApiHarness, ok, type Reply } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

type Body = Record<string, unknown>;
const [A, B] = ['chuanshan', 'zhujian'];
const LATER = '2099-01-01T00:00:00+08:00';
const EARLIER = '2020-01-01T00:00:00Z';
const reason = '理由';

/** One POST endpoint: where, by whom, a body it accepts, and how that body can be spoiled. */
interface Endpoint {
  path: string;
  who: string;
  valid: Body;
  /** Overrides of `valid` (undefined drops a field) and the fields errors[] must name, exactly. */
  wrong?: [Body, string[]][];
  /** Required fields: dropping them all must name them all. */
  required?: string[];
  /** A string field whose limit is under 5,000 characters. */
  long?: string;
  /** The same command on an id that names nothing, and the 404 code. */
  unknown?: [string, string];
  /** Whether If-Match is read (every command but the dev clock). */
  ifMatch?: false;
}

const task = { title: '任务', description: '落实', leadUnitId: A, dueAt: LATER };
const command = (action: string, who: string, rest: Omit<Endpoint, 'path' | 'who' | 'unknown'>): Endpoint => ({ path: `/tasks/t1/${action}`, who, unknown: [`/tasks/nowhere/${action}`, 'TASK_NOT_FOUND'], ...rest });

/** Every POST of units, meetings, tasks and the dev clock (API.md). */
const ENDPOINTS: Endpoint[] = [
  {
    path: '/units',
    who: 'admin',
    valid: { name: '新单位', kind: 'department', parentId: A },
    wrong: [[{ name: 42 }, ['name']], [{ kind: 'city' }, ['kind']], [{ parentId: 7 }, ['parentId']], [{ id: 'has space' }, ['id']], [{ name: '   ' }, ['name']]],
    required: ['name', 'kind'],
    long: 'name',
  },
  {
    path: `/units/${A}/posts`,
    who: 'office',
    valid: { personId: 'p-new', name: '张三', post: 'handler', from: EARLIER },
    wrong: [[{ personId: 42 }, ['personId']], [{ post: 'boss' }, ['post']], [{ from: 'tomorrow' }, ['from']]],
    required: ['personId', 'name', 'post'],
    long: 'name',
    unknown: ['/units/nowhere/posts', 'UNIT_NOT_FOUND'],
  },
  {
    path: `/units/${A}/posts/p-x/end`,
    who: 'office',
    valid: { at: EARLIER, reason: '调任' },
    wrong: [[{ at: 'tomorrow' }, ['at']], [{ reason: 42 }, ['reason']]],
    long: 'reason',
    unknown: ['/units/nowhere/posts/p-x/end', 'UNIT_NOT_FOUND'],
  },
  {
    path: '/meetings',
    who: 'office',
    valid: { title: '全体会议', kind: 'plenary', convenorId: 'p-sj', convenorName: '副书记', heldAt: EARLIER, attendees: [{ personId: 'p-sj', name: '副书记' }] },
    wrong: [[{ kind: 'annual' }, ['kind']], [{ heldAt: 'tomorrow' }, ['heldAt']], [{ attendees: 'everyone' }, ['attendees']], [{ attendees: [] }, ['attendees']], [{ attendees: [{ personId: 'p-1' }] }, ['attendees.0.name']]],
    required: ['title', 'kind', 'convenorId', 'convenorName', 'heldAt', 'attendees'],
    long: 'title',
  },
  {
    path: '/meetings/m1/decisions',
    who: 'office',
    valid: { text: '议定', deciders: ['p-sj'], participants: [], dissents: [], tasks: [task] },
    wrong: [[{ deciders: 'p-sj' }, ['deciders']], [{ dissents: [{ personId: 'p-sj' }] }, ['dissents.0.opinion']], [{ tasks: [{ ...task, dueAt: 'tomorrow' }] }, ['tasks.0.dueAt']], [{ tasks: [{ ...task, source: { kind: 'other' } }] }, ['tasks.0']]],
    required: ['text', 'deciders', 'participants', 'dissents'],
    long: 'text',
    unknown: ['/meetings/nowhere/decisions', 'MEETING_NOT_FOUND'],
  },
  {
    path: '/tasks',
    who: 'office',
    valid: { ...task, source: { kind: 'other' }, coUnitIds: [B], reportEveryDays: 7 },
    wrong: [[{ dueAt: 'tomorrow' }, ['dueAt']], [{ reportEveryDays: '7' }, ['reportEveryDays']], [{ coUnitIds: B }, ['coUnitIds']], [{ source: { kind: 'rumour' } }, ['source.kind']], [{ leadUnitId: 'bad id!' }, ['leadUnitId']], [{ caseLeader: { personId: 'p-1' } }, ['caseLeader.name']]],
    required: ['title', 'description', 'source', 'leadUnitId', 'dueAt'],
    long: 'title',
  },
  command('sign-for', 'aLead', { valid: {} }),
  command('objections', 'aLead', { valid: { reason }, wrong: [[{ reason: 42 }, ['reason']]], required: ['reason'], long: 'reason' }),
  command('objections/decision', 'office', { valid: { uphold: true, reassignTo: B, reason }, wrong: [[{ uphold: 'yes' }, ['uphold']], [{ reassignTo: 42 }, ['reassignTo']]], required: ['uphold', 'reason'], long: 'reason' }),
  command('progress-reports', 'aLead', {
    valid: { summary: '进展', percent: 50, occurredAt: EARLIER },
    wrong: [[{ percent: 101 }, ['percent']], [{ percent: '50' }, ['percent']], [{ percent: 12.5 }, ['percent']], [{ occurredAt: 'yesterday' }, ['occurredAt']], [{ summary: 42 }, ['summary']]],
    required: ['summary'],
    long: 'summary',
  }),
  command('extension-requests', 'aLead', { valid: { reason, proposedDueAt: LATER, progress: '一半' }, wrong: [[{ proposedDueAt: 'tomorrow' }, ['proposedDueAt']], [{ progress: 42 }, ['progress']]], required: ['reason', 'proposedDueAt', 'progress'], long: 'progress' }),
  command('extension-requests/decision', 'officeLead', { valid: { approve: true, dueAt: LATER, reason }, wrong: [[{ approve: 'true' }, ['approve']], [{ dueAt: 'tomorrow' }, ['dueAt']]], required: ['approve', 'reason'], long: 'reason' }),
  command('completion-report', 'aLead', { valid: { summary: '办结', evidence: '照片' }, wrong: [[{ summary: 42 }, ['summary']], [{ evidence: ['照片'] }, ['evidence']]], required: ['summary'], long: 'evidence' }),
  command('review', 'office', { valid: { decision: 'accept', reason }, wrong: [[{ decision: 'approve' }, ['decision']], [{ reason: 42 }, ['reason']]], required: ['decision', 'reason'], long: 'reason' }),
  command('signoff', 'officeLead', { valid: {} }),
  command('reminders', 'office', { valid: { message: '请抓紧' }, wrong: [[{ message: 42 }, ['message']]], required: ['message'], long: 'message' }),
  command('case-leader', 'office', { valid: { personId: 'p-lihong', name: '李红', reason }, wrong: [[{ personId: 42 }, ['personId']], [{ personId: '../etc' }, ['personId']], [{ name: ['李红'] }, ['name']]], required: ['personId', 'name', 'reason'], long: 'reason' }),
  command('escalations', 'office', { valid: { level: 'blue', reason }, wrong: [[{ level: 'purple' }, ['level']]], required: ['level', 'reason'], long: 'reason' }),
  command('evaluation', 'office', { valid: { rating: 5, comment: '满意' }, wrong: [[{ rating: '5' }, ['rating']], [{ rating: 6 }, ['rating']], [{ rating: 0 }, ['rating']], [{ rating: 4.5 }, ['rating']]], required: ['rating'], long: 'comment' }),
  command('reopen', 'office', { valid: { reason, dueAt: LATER }, wrong: [[{ reason: 42 }, ['reason']], [{ dueAt: 'tomorrow' }, ['dueAt']]], required: ['reason'], long: 'reason' }),
  command('cancel', 'officeLead', { valid: { reason }, wrong: [[{ reason: 42 }, ['reason']]], required: ['reason'], long: 'reason' }),
  {
    path: '/dev/clock',
    who: 'office',
    valid: { advance: 'PT1H' },
    wrong: [
      [{ advance: 42 }, ['advance']],
      [{ advance: 'three days' }, ['advance']],
      [{ advance: 'P99999999999999999999D' }, ['advance']],
      [{ advance: undefined, set: 'tomorrow' }, ['set']],
      [{ advance: undefined }, ['advance', 'set']],
      [{ set: EARLIER }, ['advance', 'set']],
    ],
    long: 'advance',
    ifMatch: false,
  },
];

interface Case {
  name: string;
  path: string;
  who: string;
  body: Body | string;
  headers?: Record<string, string>;
  status: number;
  code?: string;
  fields?: string[];
}

const without = (body: Body, keys: string[]): Body => Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

/** What each endpoint must refuse, recording nothing. */
function casesOf(e: Endpoint): Case[] {
  const at = (name: string, rest: Omit<Case, 'name' | 'path' | 'who'> & { path?: string; who?: string }): Case => ({ name: `POST ${e.path}: ${name}`, path: e.path, who: e.who, ...rest });
  const cases = [
    at('malformed JSON', { body: '{"a":', status: 400, code: 'MALFORMED_JSON' }),
    at('a JSON array', { body: '[]', status: 400, code: 'VALIDATION_FAILED', fields: [''] }),
    at('an unknown extra field', { body: { ...e.valid, unexpected: true }, status: 400, code: 'VALIDATION_FAILED', fields: [''] }),
    at('a body over the 100 kB limit', { body: { ...e.valid, [e.long ?? 'padding']: 'x'.repeat(110_000) }, status: 413, code: 'PAYLOAD_TOO_LARGE' }),
    at('no token', { who: 'nobody', body: e.valid, status: 401, code: 'MISSING_TOKEN' }),
    at('an Idempotency-Key over 200 characters', { body: e.valid, headers: { 'idempotency-key': 'k'.repeat(201) }, status: 400, code: 'INVALID_IDEMPOTENCY_KEY' }),
    at('an Idempotency-Key on a number JSON cannot hold (1e400)', { body: '{"rating":1e400}', headers: { 'idempotency-key': `k-${e.path}` }, status: 400, code: 'INVALID_BODY' }),
    ...(e.wrong ?? []).map(([override, fields]) => at(`wrong ${JSON.stringify(override)}`, { body: { ...e.valid, ...override }, status: 400, fields })),
  ];
  if (e.required) cases.push(at(`missing ${e.required.join(', ')}`, { body: without(e.valid, e.required), status: 400, code: 'VALIDATION_FAILED', fields: e.required }));
  if (e.long) {
    const long = e.long;
    cases.push(at(`${long} of 5,001 characters`, { body: { ...e.valid, [long]: '长'.repeat(5001) }, status: 400, fields: [long] }));
    cases.push(at(`${long} with a NUL character`, { body: { ...e.valid, [long]: 'a\u0000b' }, status: 400, fields: [long] }));
    cases.push(at(`${long} with an unpaired surrogate`, { body: { ...e.valid, [long]: 'a\ud800b' }, status: 400, fields: [long] }));
  }
  if (e.ifMatch !== false) cases.push(at('an If-Match that is no version', { body: e.valid, headers: { 'if-match': 'W/"abc"' }, status: 400, code: 'INVALID_IF_MATCH' }));
  if (e.unknown) {
    const [path, code] = e.unknown;
    cases.push(at(`unknown id → ${code}`, { path, body: e.valid, status: 404, code }));
    cases.push(at('an id with a NUL byte', { path: path.replace('nowhere', '%00'), body: e.valid, status: 400, code: 'INVALID_PARAMETER' }));
  }
  return cases;
}

const POST_CASES = ENDPOINTS.flatMap(casesOf);

/** GET query and path errors: [path, status, code, field named in errors[]]. */
const GET_CASES: [string, number, string, string | null][] = [
  ...['0', '201', 'abc', '1.5', ''].map((limit): [string, number, string, string] => [`/tasks?limit=${limit}`, 400, 'INVALID_LIMIT', 'limit']),
  ['/units?limit=0', 400, 'INVALID_LIMIT', 'limit'],
  ['/tasks?limit=1&limit=2', 400, 'INVALID_PARAMETER', 'limit'],
  ['/tasks?cursor=bm90LWEtY3Vyc29y', 400, 'INVALID_CURSOR', 'cursor'],
  ['/tasks?cursor=%00', 400, 'INVALID_PARAMETER', 'cursor'],
  ['/units?cursor=***', 400, 'INVALID_CURSOR', null],
  ['/tasks?status=open', 400, 'INVALID_FILTER', 'status'],
  ['/tasks?rag=blue', 400, 'INVALID_FILTER', 'rag'],
  ['/tasks?overdue=yes', 400, 'INVALID_FILTER', 'overdue'],
  ['/tasks?status=issued&status=closed', 400, 'INVALID_PARAMETER', 'status'],
  [`/tasks?unitId=${A}&unitId=${B}`, 400, 'INVALID_PARAMETER', 'unitId'],
  ['/tasks?unitId=%00', 400, 'INVALID_PARAMETER', 'unitId'],
  ['/tasks/t1?minPosition=abc', 400, 'INVALID_MIN_POSITION', 'minPosition'],
  [`/boards/units/${A}?minPosition=-1`, 400, 'INVALID_MIN_POSITION', 'minPosition'],
  ['/boards/office?minPosition=x', 400, 'INVALID_MIN_POSITION', 'minPosition'],
  ['/meetings/m1?minPosition=1.5', 400, 'INVALID_MIN_POSITION', 'minPosition'],
  ['/units?minPosition=1e3', 400, 'INVALID_MIN_POSITION', 'minPosition'],
  ['/tasks/%00', 400, 'INVALID_PARAMETER', 'taskId'],
  ['/units/%00', 400, 'INVALID_PARAMETER', 'unitId'],
  ['/meetings/%00', 400, 'INVALID_PARAMETER', 'meetingId'],
  ['/boards/units/%00', 400, 'INVALID_PARAMETER', 'unitId'],
  ['/tasks/nowhere', 404, 'TASK_NOT_FOUND', null],
  [`/tasks/${'x'.repeat(5000)}`, 404, 'TASK_NOT_FOUND', null],
  ['/meetings/nowhere', 404, 'MEETING_NOT_FOUND', null],
  ['/units/nowhere', 404, 'UNIT_NOT_FOUND', null],
  ['/boards/units/nowhere', 404, 'UNIT_NOT_FOUND', null],
];

const USERS: Record<string, { unitId?: string; roles: Role[] }> = {
  admin: { roles: ['admin'] },
  office: { roles: ['office'] },
  officeLead: { roles: ['office', 'office_lead'] },
  aLead: { unitId: A, roles: ['unit', 'unit_lead'] },
};

describe('bad input for every endpoint (malformed JSON, wrong types, missing fields, oversized strings, unknown ids → 4xx problem+json, nothing recorded)', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let http: Pick<ApiHarness, 'send' | 'get' | 'post'>;

  /** Status, code and the fields errors[] names (unique, sorted), beside the problem+json shape. */
  const expectProblem = (reply: Reply, status: number, code?: string, fields?: string[]): void => {
    const named = [...new Set((reply.body.errors ?? []).map((e) => e.field))].sort();
    expect({ status: reply.status, ...(code ? { code: reply.body.code } : {}), ...(fields ? { fields: named } : {}) }).toEqual({ status, ...(code ? { code } : {}), ...(fields ? { fields: [...fields].sort() } : {}) });
    expect(reply.contentType).toMatch(/^application\/problem\+json/);
    expect(reply.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code: expect.any(String) }));
  };

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_bad_input', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    http = contract.watch(api);
    for (const [name, { unitId, roles }] of Object.entries(USERS)) await api.as(name, { personId: `p-${name}`, name, roles, ...(unitId ? { unitId } : {}) });
    for (const [id, name] of [[A, '船山区'], [B, '住建局']]) ok(await http.post('/units', 'admin', { id, name, kind: 'district' }), 201);
    ok(await http.post('/meetings', 'office', { id: 'm1', title: '全体会议', kind: 'plenary', convenorId: 'p-sj', convenorName: '副书记', heldAt: EARLIER, attendees: [{ personId: 'p-sj', name: '副书记' }] }), 201);
    ok(await http.post('/tasks', 'office', { id: 't1', ...task, source: { kind: 'other' } }), 201);
    const head = (await api.sql.query<{ p: string }>('SELECT max(position) AS p FROM events')).rows[0]?.p ?? '0';
    ok(await http.get(`/tasks/t1?minPosition=${head}`, 'office'));
  });
  afterAll(async () => api?.stop());

  it.each(POST_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await api.eventCount();
    const reply = await http.send('POST', c.path, c.who, c.body, c.headers);
    expectProblem(reply, c.status, c.code, c.fields);
    if (c.name.endsWith('an unknown extra field')) expect(reply.body.errors?.[0]?.message).toContain('unexpected');
    expect(await api.eventCount()).toBe(before);
  });

  it.each(GET_CASES)('GET %s → %i %s', async (path, status, code, field) => {
    expectProblem(await http.get(path, 'office'), status, code, field === null ? undefined : [field]);
  });

  it.each([
    ['/tasks', { ...task, source: { kind: 'other' }, leadUnitId: 'nowhere' }, 'UNKNOWN_UNIT', ['leadUnitId']],
    ['/units', { name: '新单位', kind: 'other', parentId: 'nowhere' }, 'PARENT_UNIT_NOT_FOUND', null],
    // The decision is checked with its tasks first: a refused task leaves no decision behind.
    ['/meetings/m1/decisions', { text: '议定', deciders: ['p-sj'], participants: [], dissents: [], tasks: [task, { ...task, leadUnitId: 'nowhere' }] }, 'UNKNOWN_UNIT', ['tasks.1.leadUnitId']],
  ] as const)('refuses an unknown id inside the body of POST %s with 422 %s, recording nothing', async (path, body, code, fields) => {
    const before = await api.eventCount();
    expectProblem(await http.post(path, 'office', body), 422, code, fields === null ? undefined : [...fields]);
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses the same Idempotency-Key on a different body with 422, recording nothing the second time', async () => {
    const meeting = { id: 'm-key', title: '专题会议', kind: 'thematic', convenorId: 'p-sj', convenorName: '副书记', heldAt: EARLIER, attendees: [{ personId: 'p-sj', name: '副书记' }] };
    ok(await http.post('/meetings', 'office', meeting, { 'idempotency-key': 'meeting-key' }), 201);
    const before = await api.eventCount();
    expectProblem(await http.post('/meetings', 'office', { ...meeting, title: '另一个会议' }, { 'idempotency-key': 'meeting-key' }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await api.eventCount()).toBe(before);
  });

  it('still has a working clock and untouched task after all of it', async () => {
    expect(ok(await http.post('/dev/clock', 'office', { advance: 'PT1H' })).body).toMatchObject({ now: expect.any(String) });
    expect(ok(await http.get('/tasks/t1', 'office')).body).toMatchObject({ status: 'issued', version: 1 });
  });

  it('describes every status it answered in the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
  });
});

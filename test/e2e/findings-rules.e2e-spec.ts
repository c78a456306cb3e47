import { PostgresEventStore } from '@app/event-store';
import { ManualClock, uuidv7 } from '@app/shared-kernel';
import { type ApiHarness, ok } from './support/api-harness';
import { startCheckedApi, type Claims } from './support/audit-fixtures';
import type { OpenApiContract } from './support/openapi';
import { type FindingReply } from './support/governance-replies';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();
const NOT_OURS = '该事项属市级事权，非我区职责';


const UNIT: Claims = { personId: 'p-lw', name: '船山区 刘伟', unitId: 'chuanshan', roles: ['unit'] };
const ACTORS: Record<string, Claims> = {
  office: { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] },
  officeLead: { personId: 'p-zl', name: '联席办主任 周磊', roles: ['office_lead'] },
  unit: UNIT,
  unitLead: { personId: 'p-cq', name: '船山区 陈强', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] },
  inspector: { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] },
};

/*
 * The findings rules DOMAIN.md §5 names that findings.e2e-spec.ts does not reach, each driven through
 * the API to the moment it fires on the manual clock. Every deadline is read back from the server
 * (working days follow the Chinese calendar), never computed here, and every finding must name the
 * people in post at the moment the rule looks at: posts change around that moment on purpose.
 */
describe('findings rules: sign-for, progress reports, objections, reopening and listing, end to end', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;

  const clock = async (): Promise<number> => Date.parse(String(ok(await api.get('/dev/clock', 'office')).body.now));
  const setClock = async (ms: number) => ok(await api.post('/dev/clock', 'office', { set: iso(ms) }));
  const advance = async (duration: string) => ok(await api.post('/dev/clock', 'office', { advance: duration }));
  /** A deadline of the task as the server computed it, read once the read models show everything recorded so far. */
  const deadline = async (taskId: string, field: 'dueAt' | 'signForDueAt' | 'objectionDueAt' | 'reportDueAt'): Promise<number> => {
    const head = (await api.sql.query<{ p: string }>('SELECT coalesce(max(position), 0) AS p FROM events')).rows[0]?.p ?? '0';
    return Date.parse(String(ok(await api.get(`/tasks/${taskId}?minPosition=${head}`, 'office')).body[field]));
  };
  const found = async (taskId: string, rule: string): Promise<FindingReply[]> => ok(await api.get(`/findings?taskId=${taskId}&rule=${rule}`, 'inspector')).body.items as FindingReply[];
  /** The task's event ids by type (each type occurs once in these journeys when it is looked up). */
  const eventIds = async (taskId: string): Promise<Map<string, string>> => {
    const { rows } = await api.sql.query<{ id: string; type: string }>('SELECT event_id::text AS id, type FROM events WHERE stream_id = $1 ORDER BY stream_version', [`supervision.task-${taskId}`]);
    return new Map(rows.map((r) => [r.type.replace(/^supervision\.(.+)\.v1$/, '$1'), r.id]));
  };
  const roles = (f: FindingReply | undefined): string[] => (f?.people ?? []).map((p) => `${p.role}:${p.personId}`).sort();
  /** One of Chuanshan's tasks, due some days from the server's now, with the same case leader throughout. */
  const issue = async (id: string, dueInDays: number, extra: { coUnitIds?: string[]; reportEveryDays?: number } = {}) =>
    ok(await api.post('/tasks', 'office', { id, title: `任务 ${id}`, description: '化解信访积案', source: { kind: 'upper_level', ref: '省交办' }, leadUnitId: 'chuanshan', dueAt: iso((await clock()) + dueInDays * DAY), caseLeader: { personId: 'p-case', name: '包案领导 钱' }, ...extra }), 201);
  /** `from` leaves the post at `atMs` and `to` takes it over at the same moment (either may be past or future). */
  const handOver = async (unitId: string, post: string, from: string, [personId, name]: [string, string], atMs: number) => {
    ok(await api.post(`/units/${unitId}/posts/${from}/end`, 'office', { at: iso(atMs), reason: '工作调整' }));
    ok(await api.post(`/units/${unitId}/posts`, 'office', { personId, name, post, from: iso(atMs) }), 201);
  };
  /**
   * The task's one finding of `rule`, saying what it must: the unit, the moment the rule looked at,
   * the people (`role:personId`, sorted) and the evidence (the task's events, by type without prefix).
   */
  const theFinding = async (taskId: string, rule: string, want: { unitId: string; at: number; people: string[]; evidence: string[] }): Promise<FindingReply> => {
    const [finding, ...more] = await found(taskId, rule);
    expect(more).toEqual([]);
    const ids = await eventIds(taskId);
    expect(finding).toMatchObject({ rule, taskId, unitId: want.unitId, status: 'open', evidence: want.evidence.map((type) => ids.get(type)) });
    expect(Date.parse(finding?.at ?? '')).toBe(want.at);
    expect(roles(finding)).toEqual(want.people);
    return finding as FindingReply;
  };
  /** Judged again later (a new trigger, or still overdue), the task's finding stands as it was, recorded once. */
  const expectRecordedOnce = async (finding: FindingReply) => {
    expect(await found(String(finding.taskId), finding.rule)).toContainEqual(finding);
    const { rows } = await api.sql.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type = 'findings.finding-detected.v1' AND data->>'findingId' = $1`, [finding.id]);
    expect(Number(rows[0]?.n)).toBe(1);
  };
  /** Overdue at last, the task is judged again (task-overdue triggers the detector): still that one finding. */
  const expectStandsOnceOverdue = async (finding: FindingReply) => {
    const taskId = String(finding.taskId);
    await setClock(Math.max(await clock(), (await deadline(taskId, 'dueAt')) + MINUTE));
    expect(await found(taskId, 'task_overdue')).toHaveLength(1);
    expect(await found(taskId, finding.rule)).toEqual([finding]);
    await expectRecordedOnce(finding);
  };

  beforeAll(async () => {
    ({ api, contract } = await startCheckedApi('e2e_findings_rules', { CLOCK_MODE: 'manual' }, ACTORS));
    const since = iso((await clock()) - 30 * DAY);
    ok(await api.post('/units', 'office', { id: 'chuanshan', name: '船山区', kind: 'district' }), 201);
    ok(await api.post('/units', 'office', { id: 'lingshui', name: '灵水镇', kind: 'township' }), 201);
    const posts: [string, string, string, string][] = [
      ['chuanshan', 'p-zhang', '张伟', 'primary_leader'],
      ['chuanshan', 'p-zhao', '赵敏', 'portfolio_leader'],
      ['chuanshan', 'p-li', '李娜', 'handler'],
      ['lingshui', 'p-ling', '林峰', 'primary_leader'],
      ['lingshui', 'p-ma', '马丽', 'handler'],
    ];
    for (const [unitId, personId, name, post] of posts) ok(await api.post(`/units/${unitId}/posts`, 'office', { personId, name, post, from: since }), 201);
  });
  afterAll(async () => api?.stop());

  it('records sign_for_missed for the co-unit that did not sign for by its working-day deadline, naming its people in post then, and none for the lead unit that signed', async () => {
    await issue('t-unsigned', 15, { coUnitIds: ['lingshui'] });
    ok(await api.post('/tasks/t-unsigned/sign-for', 'unit'));
    const due = await deadline('t-unsigned', 'signForDueAt');
    // Lingshui's handler changes an hour before the deadline, and again an hour after it.
    await handOver('lingshui', 'handler', 'p-ma', ['p-niu', '牛刚'], due - HOUR);
    await handOver('lingshui', 'handler', 'p-niu', ['p-ding', '丁磊'], due + HOUR);
    await setClock(due - MINUTE);
    expect(await found('t-unsigned', 'sign_for_missed')).toEqual([]);

    // Looked at a day later, after the second change.
    await advance('P1D');
    const finding = await theFinding('t-unsigned', 'sign_for_missed', { unitId: 'lingshui', at: due, people: ['handler:p-niu', 'primary_leader:p-ling'], evidence: ['task-issued', 'sign-for-missed'] });
    await expectStandsOnceOverdue(finding);
  });

  it('records progress_report_missed when the weekly report does not come, naming who was in post when it was due; a unit that reported in time has none', async () => {
    for (const id of ['t-silent', 't-reporting']) {
      await issue(id, 30, { reportEveryDays: 7 });
      ok(await api.post(`/tasks/${id}/sign-for`, 'unit'));
    }
    const due = await deadline('t-silent', 'reportDueAt');
    // Zhang hands the district over to Wang an hour after the report was due.
    await handOver('chuanshan', 'primary_leader', 'p-zhang', ['p-wang', '王强'], due + HOUR);
    await advance('P3D');
    ok(await api.post('/tasks/t-reporting/progress-reports', 'unit', { summary: '已约谈信访人，制定化解方案', percent: 30 }));
    await setClock(due - MINUTE);
    expect(await found('t-silent', 'progress_report_missed')).toEqual([]);

    await advance('P1D');
    const finding = await theFinding('t-silent', 'progress_report_missed', {
      unitId: 'chuanshan',
      at: due,
      people: ['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-zhang'],
      evidence: ['task-issued', 'task-signed-for', 'progress-report-missed'],
    });
    expect(await found('t-reporting', 'progress_report_missed')).toEqual([]);

    // The next week's report is missed too: a finding of its own, naming Wang; the first one stands.
    await setClock(due + 7 * DAY);
    const next = (await found('t-silent', 'progress_report_missed')).filter((f) => f.id !== finding.id);
    expect(next.map((f) => Date.parse(f.at))).toEqual([due + 7 * DAY]);
    expect(roles(next[0])).toEqual(['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-wang']);
    await expectRecordedOnce(finding);
  });

  it('records late_objection for an objection on record after its 5-working-day window (the API refuses one, imported history can hold one), naming the objector and who was in post then', async () => {
    await issue('t-objected', 30);
    await issue('t-late', 30);
    ok(await api.post('/tasks/t-objected/objections', 'unit', { reason: NOT_OURS }));
    const window = await deadline('t-late', 'objectionDueAt');
    await setClock(window + DAY);
    const before = await api.eventCount();
    const refused = await api.post('/tasks/t-late/objections', 'unit', { reason: NOT_OURS });
    expect([refused.status, refused.body.code]).toEqual([422, 'OBJECTION_WINDOW_CLOSED']);
    expect(await api.eventCount()).toBe(before);

    // Carried over from the paper ledger: an objection lodged two hours after the window closed,
    // written to the task's stream as an import would write it.
    const raisedAt = window + 2 * HOUR;
    const stream = 'supervision.task-t-late';
    const store = new PostgresEventStore({ connectionString: api.db.url, clock: new ManualClock(new Date(await clock())) });
    const metadata = { actor: { ...UNIT, unitId: 'chuanshan' }, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: iso(raisedAt) };
    const data = { taskId: 't-late', unitId: 'chuanshan', reason: NOT_OURS, by: { personId: UNIT.personId, name: UNIT.name }, at: iso(raisedAt) };
    await store.append(stream, [{ eventId: uuidv7(), type: 'supervision.objection-raised.v1', schemaVersion: 1, data, metadata }], (await api.events(stream)).length);
    await store.close();
    // Wang hands over to Sun an hour after the objection was lodged.
    await handOver('chuanshan', 'primary_leader', 'p-wang', ['p-sun', '孙杰'], raisedAt + HOUR);
    expect(await found('t-late', 'late_objection')).toEqual([]);

    await advance('PT1M');
    const finding = await theFinding('t-late', 'late_objection', {
      unitId: 'chuanshan',
      at: raisedAt,
      people: ['handler:p-li', 'objector:p-lw', 'portfolio_leader:p-zhao', 'primary_leader:p-wang'],
      evidence: ['task-issued', 'objection-raised'],
    });
    expect(await found('t-objected', 'late_objection')).toEqual([]);

    // The office rejects the objection, so the deadline clock runs again.
    ok(await api.post('/tasks/t-late/objections/decision', 'office', { uphold: false, reason: '属地责任，应由船山区牵头办理' }));
    await expectStandsOnceOverdue(finding);
  });

  it('records reopened_after_closure when a signed-off task is reopened, naming the completion reporter and who was in post at the sign-off', async () => {
    await issue('t-reopened', 15);
    ok(await api.post('/tasks/t-reopened/sign-for', 'unit'));
    await advance('PT2H');
    ok(await api.post('/tasks/t-reopened/completion-report', 'unitLead', { summary: '信访人签订息访息诉协议', evidence: '协议书扫描件' }));
    ok(await api.post('/tasks/t-reopened/review', 'office', { decision: 'accept', reason: '材料齐全' }));
    await advance('PT2H');
    ok(await api.post('/tasks/t-reopened/signoff', 'officeLead'));
    const closedAt = await clock();
    // Sun hands over to Zhou an hour after the sign-off, long before the reopening.
    await handOver('chuanshan', 'primary_leader', 'p-sun', ['p-zhou', '周涛'], closedAt + HOUR);
    await advance('P1D');
    expect(await found('t-reopened', 'reopened_after_closure')).toEqual([]);

    ok(await api.post('/tasks/t-reopened/reopen', 'office', { reason: '信访人再次赴省上访，问题未实际解决' }));
    await advance('PT1M');
    const finding = await theFinding('t-reopened', 'reopened_after_closure', {
      unitId: 'chuanshan',
      at: closedAt,
      people: ['handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-sun', 'reporter:p-cq'],
      evidence: ['completion-reported', 'completion-reviewed', 'task-signed-off', 'task-reopened'],
    });
    await expectStandsOnceOverdue(finding);
  });

  it('records listed_still_overdue 7 days after 挂牌督办 while still overdue, naming the case leader and who was in post then; a red task reported done within the 7 days has none', async () => {
    for (const id of ['t-listed', 't-done']) {
      await issue(id, 2);
      ok(await api.post(`/tasks/${id}/sign-for`, 'unit'));
    }
    await advance('P3D');
    expect(ok(await api.get('/tasks/t-listed', 'office')).body).toMatchObject({ overdue: true, rag: 'red' });
    ok(await api.post('/tasks/t-listed/escalations', 'office', { level: 'listed', reason: '逾期未办结，挂牌督办' }));
    ok(await api.post('/tasks/t-done/escalations', 'office', { level: 'red', reason: '逾期未办结，亮红灯' }));
    const listedAt = await clock();
    // Zhou hands over to Qian five days into the listing; Qian to Wu an hour after the seven days.
    await handOver('chuanshan', 'primary_leader', 'p-zhou', ['p-qian', '钱进'], listedAt + 5 * DAY);
    await handOver('chuanshan', 'primary_leader', 'p-qian', ['p-wu', '吴昊'], listedAt + 7 * DAY + HOUR);
    await advance('P3D');
    ok(await api.post('/tasks/t-done/completion-report', 'unitLead', { summary: '问题已化解，信访人息访' }));
    await setClock(listedAt + 7 * DAY - MINUTE);
    expect(await found('t-listed', 'listed_still_overdue')).toEqual([]);

    await advance('P1D');
    const finding = await theFinding('t-listed', 'listed_still_overdue', {
      unitId: 'chuanshan',
      at: listedAt + 7 * DAY,
      people: ['case_leader:p-case', 'handler:p-li', 'portfolio_leader:p-zhao', 'primary_leader:p-qian'],
      evidence: ['task-issued', 'task-escalated', 'task-overdue'],
    });
    // Still overdue, the task is judged again on every move of the clock.
    await advance('P1D');
    expect(await found('t-listed', 'listed_still_overdue')).toEqual([finding]);
    await expectRecordedOnce(finding);
    expect(await found('t-done', 'listed_still_overdue')).toEqual([]);
    // Listing counts as the office supervising: no overdue_not_supervised for either task.
    expect([...(await found('t-listed', 'overdue_not_supervised')), ...(await found('t-done', 'overdue_not_supervised'))]).toEqual([]);
  });

  it('answered every request of these journeys as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

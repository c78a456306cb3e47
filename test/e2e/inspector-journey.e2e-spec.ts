import { ApiHarness, ok } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

/*
 * The inspector's journey through the seed documents (DOMAIN.md §9), on the manual clock: the 2nd
 * plenary decides that the 烂尾楼 group visits get a city case leader (包案领导) and a deadline;
 * 船山区 and 住建局 sign for the task; 船山区's primary leader and the task's case leader both
 * change jobs mid-task, and the new primary leader's handover is set for half a day after the
 * deadline; the task goes overdue and the office neither reminds nor escalates; after the deadline
 * the case leader changes again. The findings must name who was in charge at the deadline, and the
 * inspector (纪检监察) then opens a case, records a decision, and reads the history back as it
 * stood after every step.
 */

const DAY = 86_400_000;
const TASK = 'lanwei-chuanshan';

type View = Record<string, unknown>;
type Person = { personId: string; name: string; unitId: string | null; role: string };
type Finding = { id: string; rule: string; taskId: string | null; unitId: string | null; personIds: string[]; people: Person[]; evidence: string[]; at: string; detectedAt: string; status: string; caseIds: string[] };
type Entry = { eventId: string; type: string; streamId: string; position: number; occurredAt: string; recordedAt: string; actor: { personId: string } };
type Term = { personId: string; post: string; from: string; to: string | null };
type Line = { personId: string; role: string; liability: string; basis: string; evidence: string[] };
/** One step of the journey: when it was done, what GET /tasks/{id} showed then, and what it added to the timeline. */
type Step = { label: string; at: string; view: View; added: string[] };

// The people of the seed documents (DOMAIN.md §9 and the demo), with ids that read as names.
const CONVENOR = { personId: 'p-yangzhiyuan', name: '杨志远' }; // 市委副书记、联席会议召集人, the task's first case leader
const VICE_MAYOR = { personId: 'p-lihong', name: '李红' }; // 副市长, case leader from two days in, so at the deadline
const POLITICS_LAW = { personId: 'p-huanghai', name: '黄海' }; // 政法委书记, case leader after the deadline (today's)
const OFFICE = { personId: 'p-wangfang', name: '王芳' }; // 联席办督查督办科
const INSPECTOR = { personId: 'p-zhoumin', name: '周敏' }; // 市纪委监委
const CHUANSHAN = {
  leader: { personId: 'p-zhoujianhua', name: '周建华' }, // 区委书记, leaves two days into the task
  successor: { personId: 'p-sunlixin', name: '孙立新' }, // in post at the deadline
  today: { personId: 'p-guofeng', name: '郭峰' }, // takes over half a day after the deadline
  portfolio: { personId: 'p-chenqiang', name: '陈强' },
  handler: { personId: 'p-liuwei', name: '刘伟' },
};
const ZHUJIAN = { leader: { personId: 'p-tangwen', name: '唐文' }, portfolio: { personId: 'p-xuliang', name: '许亮' }, handler: { personId: 'p-dengchao', name: '邓超' } };

const FINDING_DETECTED = 'findings.finding-detected.v1';
const CASE_LEADER_CHANGED = 'supervision.case-leader-changed.v1';
const POST_ASSIGNED = 'units.post-assigned.v1';
const POST_ENDED = 'units.post-ended.v1';

describe('inspector journey: leaders change jobs mid-task, the task goes overdue unsupervised, the inspector opens a case and reads history (manual clock)', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let t0: number;
  const steps: Step[] = [];
  const found: Record<string, Finding> = {};

  const at = (days: number): string => new Date(t0 + days * DAY).toISOString();
  const q = (moment: string): string => encodeURIComponent(moment);
  const moveTo = async (days: number): Promise<Record<string, unknown>> => ok(await api.post('/dev/clock', 'office', { set: at(days) })).body;
  const serverNow = async (): Promise<string> => String(ok(await api.get('/dev/clock', 'office')).body.now);
  const head = async (): Promise<string> => (await api.sql.query<{ p: string }>('SELECT max(position) AS p FROM events')).rows[0]?.p ?? '0';
  /** GET /tasks/{id} once the read models have caught up with everything recorded so far. */
  const taskView = async (): Promise<View> => ok(await api.get(`/tasks/${TASK}?minPosition=${await head()}`, 'inspector')).body;
  /** GET /audit/tasks/{id}/state, without the `asOf` echo, so it compares with a task view. */
  const stateAsOf = async (moment: string): Promise<View> => {
    const { asOf: _, ...state } = ok(await api.get(`/audit/tasks/${TASK}/state?asOf=${q(moment)}`, 'inspector')).body;
    return state;
  };
  const timeline = async (query = ''): Promise<Entry[]> => ok(await api.get(`/audit/tasks/${TASK}/timeline${query}`, 'inspector')).body.events as Entry[];
  const findings = async (query: string): Promise<Finding[]> => ok(await api.get(`/findings?taskId=${TASK}&minPosition=${await head()}${query}`, 'inspector')).body.items as Finding[];
  /** Who a finding names, as `role:personId`, sorted. */
  const named = (people: { role: string; personId: string }[]): string[] => people.map((p) => `${p.role}:${p.personId}`).sort();
  const same = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);
  /** Remembers the server's now and the task as shown then, with the event types the step is meant to have recorded. */
  const settle = async (label: string, added: string[]): Promise<Step> => {
    const step = { label, at: await serverNow(), view: await taskView(), added };
    steps.push(step);
    return step;
  };

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_journey', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    await api.as('office', { ...OFFICE, roles: ['office'] });
    await api.as('inspector', { ...INSPECTOR, roles: ['inspector'] });
    await api.as('chuanshan', { ...CHUANSHAN.handler, unitId: 'chuanshan', roles: ['unit'] });
    await api.as('zhujian', { ...ZHUJIAN.handler, unitId: 'zhujian', roles: ['unit'] });
    t0 = Date.parse(await serverNow());
    ok(await api.post('/units', 'office', { id: 'chuanshan', name: '船山区', kind: 'district' }), 201);
    ok(await api.post('/units', 'office', { id: 'zhujian', name: '住建局', kind: 'department' }), 201);
    // Everyone has been in post for a month when the task is issued.
    const posts: [string, { personId: string; name: string }, string][] = [
      ['chuanshan', CHUANSHAN.leader, 'primary_leader'], ['chuanshan', CHUANSHAN.portfolio, 'portfolio_leader'], ['chuanshan', CHUANSHAN.handler, 'handler'],
      ['zhujian', ZHUJIAN.leader, 'primary_leader'], ['zhujian', ZHUJIAN.portfolio, 'portfolio_leader'], ['zhujian', ZHUJIAN.handler, 'handler'],
    ];
    for (const [unitId, person, post] of posts) ok(await api.post(`/units/${unitId}/posts`, 'office', { ...person, post, from: at(-30) }), 201);
  });
  afterAll(async () => api?.stop());

  it('issues the 烂尾楼 task from the 2nd plenary’s decision with 杨志远 as case leader, and 船山区 and 住建局 sign for it', async () => {
    expect((await api.get(`/audit/tasks/${TASK}/state?asOf=${q(at(0))}`, 'inspector')).status).toBe(404);
    ok(await api.post('/meetings', 'office', {
      id: 'plenary-2', title: '市信访工作联席会议第二次全体会议', kind: 'plenary', convenorId: CONVENOR.personId, convenorName: CONVENOR.name, heldAt: at(0),
      attendees: [CONVENOR, { personId: 'p-lihong', name: '李红' }, { personId: 'p-huanghai', name: '黄海' }, { personId: 'p-zhaojun', name: '赵军' }],
    }), 201);
    const decided = ok(await api.post('/meetings/plenary-2/decisions', 'office', {
      decisionId: 'd2-lanwei', text: '烂尾楼群体重复访实行市级领导包案，一案一专班一方案一时限，限期化解。',
      deciders: [CONVENOR.personId], participants: ['p-lihong', 'p-huanghai', 'p-zhaojun'], dissents: [],
      tasks: [{
        id: TASK, title: '烂尾楼问题群体重复访化解', description: '船山区3个停工项目业主反复集体访，要求复工交房。', leadUnitId: 'chuanshan', coUnitIds: ['zhujian'],
        dueAt: at(5), signForDueAt: at(1), caseLeader: CONVENOR, plan: '一楼一策：资产摸底、引入纾困资金、分期复工，每周向业主代表通报。',
      }],
    }), 201);
    expect(decided.body.taskIds).toEqual([TASK]);
    const issued = await settle('issued from the decision', [...Array<string>(6).fill(POST_ASSIGNED), 'meetings.meeting-held.v1', 'meetings.decision-recorded.v1', 'supervision.task-issued.v1']);
    expect(issued.view).toMatchObject({ status: 'issued', source: { kind: 'meeting_decision', ref: 'plenary-2/d2-lanwei' }, caseLeader: CONVENOR, leadUnitId: 'chuanshan', coUnitIds: ['zhujian'], rag: 'green', overdue: false });

    await moveTo(1 / 24);
    ok(await api.post(`/tasks/${TASK}/sign-for`, 'chuanshan'));
    ok(await api.post(`/tasks/${TASK}/sign-for`, 'zhujian'));
    const signed = await settle('signed for by both units', ['supervision.task-signed-for.v1', 'supervision.task-signed-for.v1']);
    expect(signed.view).toMatchObject({ status: 'acknowledged', signedFor: ['chuanshan', 'zhujian'], version: 3 });

    await moveTo(1);
    ok(await api.post(`/tasks/${TASK}/progress-reports`, 'chuanshan', { summary: '2个项目已复工，第3个项目正在引入投资人。', percent: 40 }));
    const reported = await settle('progress reported', ['supervision.progress-reported.v1']);
    expect(reported.view).toMatchObject({ status: 'in_progress', lastReportAt: expect.stringMatching(/\+08:00$/) });
  });

  it('keeps the task as it was while 船山区’s primary leader 周建华 leaves and 孙立新 takes over before the deadline; the case leader passes from 杨志远 to 李红', async () => {
    // Three days before the deadline the light turns yellow (the scheduler runs as the clock moves).
    await moveTo(2);
    ok(await api.post('/units/chuanshan/posts/p-zhoujianhua/end', 'office', { reason: '调任市发改委' }));
    ok(await api.post('/units/chuanshan/posts', 'office', { ...CHUANSHAN.successor, post: 'primary_leader' }), 201);
    ok(await api.post(`/tasks/${TASK}/case-leader`, 'office', { ...VICE_MAYOR, reason: '市领导分工调整' }));
    const changed = await settle('primary leader and case leader changed', ['supervision.deadline-approaching.v1', POST_ENDED, POST_ASSIGNED, CASE_LEADER_CHANGED]);
    expect(changed.view).toMatchObject({ status: 'in_progress', rag: 'yellow', overdue: false, version: 6, caseLeader: VICE_MAYOR });

    // A handover announced now, effective half a day after the deadline: today's leader will be 郭峰.
    await moveTo(4);
    ok(await api.post('/units/chuanshan/posts/p-sunlixin/end', 'office', { at: at(5.5), reason: '届满交流' }));
    ok(await api.post('/units/chuanshan/posts', 'office', { ...CHUANSHAN.today, post: 'primary_leader', from: at(5.5) }), 201);
    const announced = await settle('handover announced', [POST_ENDED, POST_ASSIGNED]);
    // Posts belong to the unit, not to the task: the task view does not move.
    expect(announced.view).toEqual(changed.view);
    const terms = (ok(await api.get('/units/chuanshan', 'office')).body.posts as Term[]).filter((t) => t.post === 'primary_leader');
    expect(terms.map((t) => [t.personId, Date.parse(t.from), t.to === null ? null : Date.parse(t.to)])).toEqual([
      [CHUANSHAN.leader.personId, Date.parse(at(-30)), Date.parse(at(2))],
      [CHUANSHAN.successor.personId, Date.parse(at(2)), Date.parse(at(5.5))],
      [CHUANSHAN.today.personId, Date.parse(at(5.5)), null],
    ]);
  });

  it('records the task overdue and a task_overdue finding naming the handler, 孙立新 (in post at the deadline), 陈强 and case leader 李红; not 周建华, 杨志远 nor today’s 郭峰', async () => {
    expect(await findings('')).toEqual([]);
    const moved = await moveTo(6);
    expect(moved.findings).toBe(1);
    const overdue = await settle('overdue', ['supervision.task-overdue.v1', FINDING_DETECTED]);
    expect(overdue.view).toMatchObject({ status: 'in_progress', rag: 'red', overdue: true, escalation: 'none', version: 7 });
    expect(same(String(overdue.view.dueAt), at(5))).toBe(true);

    const [finding, ...others] = await findings('');
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ rule: 'task_overdue', taskId: TASK, unitId: 'chuanshan', status: 'open' });
    expect(same(String(finding?.at), at(5))).toBe(true);
    expect(named(finding?.people ?? [])).toEqual([
      `case_leader:${VICE_MAYOR.personId}`, `handler:${CHUANSHAN.handler.personId}`, `portfolio_leader:${CHUANSHAN.portfolio.personId}`, `primary_leader:${CHUANSHAN.successor.personId}`, `signer:${CHUANSHAN.handler.personId}`,
    ]);
    expect(finding?.personIds).not.toContain(CHUANSHAN.leader.personId);
    expect(finding?.personIds).not.toContain(CHUANSHAN.today.personId);
    expect(finding?.personIds).not.toContain(CONVENOR.personId);
    // Its evidence is the issue, the case-leader change, 船山区's sign-for and the overdue event, all on the task's timeline.
    const events = await timeline();
    const eventOf = (type: string, by?: string): string | undefined => events.find((e) => e.type === type && (by === undefined || e.actor.personId === by))?.eventId;
    expect(finding?.evidence).toEqual([eventOf('supervision.task-issued.v1'), eventOf(CASE_LEADER_CHANGED), eventOf('supervision.task-signed-for.v1', CHUANSHAN.handler.personId), eventOf('supervision.task-overdue.v1')]);
    found.overdue = finding as Finding;
  });

  it('records overdue_not_supervised naming the office (王芳) two days after the deadline with no reminder or escalation', async () => {
    // The overdue event came a day after the deadline, but the office's two days run from the deadline (day 5).
    expect((await moveTo(6.5)).findings).toBe(0);
    const waiting = await settle('office still within its two days', []);
    expect(waiting.view).toEqual(steps[steps.length - 2]?.view);

    expect((await moveTo(7)).findings).toBe(1);
    const silent = await settle('office window closed', [FINDING_DETECTED]);
    expect(silent.view).toMatchObject({ escalation: 'none', rag: 'red', overdue: true });
    const [finding, ...others] = await findings('&rule=overdue_not_supervised');
    expect(others).toEqual([]);
    expect(finding?.people).toEqual([{ ...OFFICE, unitId: null, role: 'office' }]);
    expect(finding?.personIds).toEqual([OFFICE.personId]);
    expect(same(String(finding?.at), at(7))).toBe(true);
    expect((await findings('&open=true')).map((f) => f.rule).sort()).toEqual(['overdue_not_supervised', 'task_overdue']);
    found.unsupervised = finding as Finding;
  });

  it('moves the case leader to 黄海 after the deadline: the task shows him, the recorded finding still names 李红', async () => {
    await moveTo(7.5);
    ok(await api.post(`/tasks/${TASK}/case-leader`, 'office', { ...POLITICS_LAW, reason: '包案领导调整' }));
    const moved = await settle('case leader changed after the deadline', [CASE_LEADER_CHANGED]);
    expect(moved.view).toMatchObject({ caseLeader: POLITICS_LAW, version: 8, rag: 'red', overdue: true });
    expect((await moveTo(8)).findings).toBe(0);
    await settle('a day on, nothing new', []);
    const [overdue] = await findings('&rule=task_overdue');
    expect(overdue?.personIds).toContain(VICE_MAYOR.personId);
    expect(overdue?.personIds).not.toContain(POLITICS_LAW.personId);
  });

  it('lets the inspector open a case on both findings: the timeline shows it when it was done, and the task as it stood does not move', async () => {
    const before = steps[steps.length - 1] as Step;
    await moveTo(8 + 2 / 24);
    const opened = ok(await api.post('/accountability-cases', 'inspector', {
      id: 'case-lanwei', title: '烂尾楼问题督办逾期问责', findingIds: [found.overdue?.id, found.unsupervised?.id],
      subjects: [
        { personId: CHUANSHAN.handler.personId, unitId: 'chuanshan', liability: 'direct' },
        { personId: CHUANSHAN.successor.personId, unitId: 'chuanshan', liability: 'leadership' },
        { personId: CHUANSHAN.portfolio.personId, unitId: 'chuanshan', liability: 'leadership' },
        { personId: OFFICE.personId, liability: 'direct' },
      ],
    }), 201);
    expect(opened.body).toMatchObject({ id: 'case-lanwei', version: 1 });
    const after = await settle('case opened', ['accountability.case-opened.v1', 'findings.finding-taken-up.v1', 'findings.finding-taken-up.v1']);

    const events = await timeline();
    // The case's events come last, in the order they were recorded.
    const caseEvents = events.slice(events.findIndex((e) => e.type === 'accountability.case-opened.v1'));
    expect(caseEvents.map((e) => [e.type, e.streamId])).toEqual([
      ['accountability.case-opened.v1', 'accountability.case-case-lanwei'],
      ['findings.finding-taken-up.v1', `findings.finding-${found.overdue?.id}`],
      ['findings.finding-taken-up.v1', `findings.finding-${found.unsupervised?.id}`],
    ]);
    // Business time and record time are both the moment the inspector acted.
    for (const e of caseEvents) expect([same(e.occurredAt, after.at), same(e.recordedAt, after.at), e.actor.personId]).toEqual([true, true, INSPECTOR.personId]);
    // Read as of just before, the case is not there yet.
    expect((await timeline(`?asOf=${q(before.at)}`)).map((e) => e.type)).not.toContain('accountability.case-opened.v1');

    // The task itself is untouched by the case: as of before and after, it is what GET /tasks showed.
    expect(after.view).toEqual(before.view);
    expect(await stateAsOf(before.at)).toEqual(before.view);
    expect(await stateAsOf(after.at)).toEqual(after.view);
    expect((await findings('&open=false')).map((f) => [f.rule, f.status, f.caseIds]).sort()).toEqual([
      ['overdue_not_supervised', 'taken_up', ['case-lanwei']],
      ['task_overdue', 'taken_up', ['case-lanwei']],
    ]);
  });

  it('lets the inspector record a decision on the case: it follows the opening on the timeline, and the task state stays as it was', async () => {
    const before = steps[steps.length - 1] as Step;
    await moveTo(8 + 4 / 24);
    ok(await api.post('/accountability-cases/case-lanwei/decisions', 'inspector', {
      decisionId: 'd-lanwei', forms: ['admonition', 'circular'], subjects: [CHUANSHAN.handler.personId, CHUANSHAN.successor.personId], basis: '《中国共产党问责条例》第七条；《信访工作条例》第四十五条',
    }));
    const after = await settle('decision recorded', ['accountability.decision-recorded.v1']);

    const events = await timeline();
    const types = events.map((e) => e.type);
    const decision = events.find((e) => e.type === 'accountability.decision-recorded.v1') as Entry;
    expect(types.indexOf('accountability.decision-recorded.v1')).toBeGreaterThan(types.indexOf('accountability.case-opened.v1'));
    expect(types[types.length - 1]).toBe('accountability.decision-recorded.v1');
    expect([decision.streamId, same(decision.occurredAt, after.at), same(decision.recordedAt, after.at)]).toEqual(['accountability.case-case-lanwei', true, true]);
    expect((await timeline(`?asOf=${q(before.at)}`)).map((e) => e.type)).not.toContain('accountability.decision-recorded.v1');

    expect(after.view).toEqual(before.view);
    expect(await stateAsOf(before.at)).toEqual(before.view);
    expect(await stateAsOf(after.at)).toEqual(after.view);
    const kase = ok(await api.get(`/accountability-cases/case-lanwei?minPosition=${await head()}`, 'inspector')).body;
    expect(kase).toMatchObject({ taskIds: [TASK], decisions: [{ decisionId: 'd-lanwei', forms: ['admonition', 'circular'] }] });
  });

  it('rebuilds the task at every step exactly as GET /tasks/{id} showed it then, and the timeline as of each step holds just what that step added', async () => {
    let earlier: Entry[] = [];
    for (const step of steps) {
      expect([step.label, await stateAsOf(step.at)]).toEqual([step.label, step.view]);
      const events = await timeline(`?asOf=${q(step.at)}`);
      const added = events.filter((e) => !earlier.some((x) => x.eventId === e.eventId));
      expect([step.label, added.map((e) => e.type).sort()]).toEqual([step.label, [...step.added].sort()]);
      // A step's events happened and were recorded when the step was done, and the timeline is in record order.
      expect([step.label, added.every((e) => same(e.occurredAt, step.at) && same(e.recordedAt, step.at))]).toEqual([step.label, true]);
      expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((a, b) => a - b));
      earlier = events;
    }
  });

  it('traces responsibility to the leaders in post at the deadline, every case leader with their periods, and the office’s omission', async () => {
    const r = ok(await api.get(`/audit/tasks/${TASK}/responsibility`, 'inspector')).body as {
      custody: { caseLeader: { personId: string } | null; caseLeaders: { personId: string; from: string; to: string | null }[]; signedFor: { personId: string }[]; units: { unitId: string; posts: Term[] }[] };
      office: { actions: { kind: string }[]; omissions: { kind: string }[] };
      findings: { rule: string }[];
      accountabilityCases: { caseId: string }[];
      attribution: { proposal: boolean; lines: Line[] };
    };
    expect(r.custody.caseLeader).toMatchObject(POLITICS_LAW);
    expect(r.custody.caseLeaders.map((c) => [c.personId, Date.parse(c.from), c.to === null ? null : Date.parse(c.to)])).toEqual([
      [CONVENOR.personId, Date.parse(at(0)), Date.parse(at(2))],
      [VICE_MAYOR.personId, Date.parse(at(2)), Date.parse(at(7.5))],
      [POLITICS_LAW.personId, Date.parse(at(7.5)), null],
    ]);
    expect(r.custody.signedFor.map((s) => s.personId)).toEqual([CHUANSHAN.handler.personId, ZHUJIAN.handler.personId]);
    expect(r.custody.units.find((u) => u.unitId === 'chuanshan')?.posts.filter((t) => t.post === 'primary_leader').map((t) => t.personId)).toEqual([CHUANSHAN.leader.personId, CHUANSHAN.successor.personId, CHUANSHAN.today.personId]);
    expect(r.office.actions.map((a) => a.kind)).toEqual(['issue', 'case_leader_changed', 'case_leader_changed']);
    expect(r.office.omissions).toEqual([expect.objectContaining({ kind: 'overdue_not_supervised' })]);
    expect(r.findings.map((f) => f.rule).sort()).toEqual(['overdue_not_supervised', 'task_overdue']);
    expect(r.accountabilityCases.map((c) => c.caseId)).toEqual(['case-lanwei']);

    expect(r.attribution.proposal).toBe(true);
    // For the omission: the handler and 船山区's leaders in post at the deadline, not 周建华 who left nor 郭峰 who came after.
    const omission = r.attribution.lines.filter((l) => l.basis === 'act_or_omission').map((l) => `${l.role}:${l.personId}:${l.liability}`).sort();
    expect(omission).toEqual([
      `handler:${CHUANSHAN.handler.personId}:direct`, `portfolio_leader:${CHUANSHAN.portfolio.personId}:leadership`, `primary_leader:${CHUANSHAN.successor.personId}:leadership`,
    ]);
    const decision = r.attribution.lines.filter((l) => l.basis === 'decision').map((l) => [l.personId, l.liability]);
    expect(decision).toEqual([[CONVENOR.personId, 'primary_leadership'], ['p-lihong', 'important_leadership'], ['p-huanghai', 'important_leadership'], ['p-zhaojun', 'important_leadership']]);
    expect(r.attribution.lines.every((l) => l.evidence.length > 0)).toBe(true);
  });

  it('answered every request of the journey as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

import { DemoClient } from '../../apps/cli/src/demo/demo-client';
import { DEMO_TASK_IDS, DemoConflictError, runDemoScenario, type DemoSummary } from '../../apps/cli/src/demo/demo-scenario';
import { ApiHarness } from './support/api-harness';

/** `npm run demo`'s scenario against a real api on its own database (manual clock: no waiting). */
describe('the demo scenario (DOMAIN.md §9)', () => {
  let api: ApiHarness;
  let first: DemoSummary;

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_demo', { CLOCK_MODE: 'manual' });
    first = await runDemoScenario(new DemoClient(api.base), { settleTimeoutMs: 5_000 });
  });
  afterAll(async () => api?.stop());

  it('registers the 11 member units, each with a primary leader, a portfolio leader and a handler', () => {
    expect(first.outcome).toBe('loaded');
    expect(first.units.map((u) => u.id).sort()).toEqual(['anju', 'chuanshan', 'gongan', 'hedong', 'jingkai', 'jinrong', 'pengxi', 'renshe', 'shichang', 'zhujian', 'ziranziyuan']);
    for (const unit of first.units) expect(unit.posts.map((p) => p.post).sort()).toEqual(['handler', 'portfolio_leader', 'primary_leader']);
  });

  it('records the 2nd plenary meeting with its decisions, dissent on record, and the tasks they assign', () => {
    expect(first.meeting).toMatchObject({ kind: 'plenary', convenorId: 'city-deputy-secretary', title: expect.stringContaining('第二次全体会议') });
    expect(first.meeting.decisions.length).toBeGreaterThanOrEqual(3);
    expect(first.meeting.decisions.flatMap((d) => d.dissents).length).toBeGreaterThanOrEqual(1);
    const assigned = first.meeting.decisions.flatMap((d) => d.taskIds);
    expect(assigned).toHaveLength(4);
    expect(first.tasks.filter((t) => t.source?.kind === 'meeting_decision').map((t) => t.id).sort()).toEqual([...assigned].sort());
    for (const id of assigned) expect(first.tasks.find((t) => t.id === id)).toMatchObject({ caseLeader: { personId: expect.any(String) }, coUnitIds: expect.arrayContaining([expect.any(String)]) });
  });

  it('walks 11 of the 14 upper-level cases to sign-off, with the twists on record', async () => {
    const upper = first.tasks.filter((t) => t.source?.kind === 'upper_level');
    expect(upper).toHaveLength(14);
    expect(upper.filter((t) => t.status === 'closed')).toHaveLength(11);
    expect(first.tasks).toHaveLength(DEMO_TASK_IDS.length);
    const types = async (taskId: string): Promise<string[]> => (await api.events(`supervision.task-${taskId}`)).map((e) => e.type.replace(/^supervision\.|\.v1$/g, ''));
    expect(await types('sj-01')).toEqual(['task-issued', 'task-signed-for', 'task-signed-for', 'progress-reported', 'progress-reported', 'completion-reported', 'completion-reviewed', 'task-signed-off', 'task-evaluated']);
    expect(await types('sj-08')).toEqual(expect.arrayContaining(['objection-raised', 'objection-upheld']));
    expect(first.tasks.find((t) => t.id === 'sj-08')).toMatchObject({ status: 'closed', leadUnitId: 'zhujian' });
    const extended = first.tasks.find((t) => t.id === 'sj-02');
    expect(Date.parse(extended?.dueAt ?? '')).toBeGreaterThan(Date.parse(extended?.originalDueAt ?? ''));
    expect(first.tasks.find((t) => t.id === 'sj-04')).toMatchObject({ status: 'closed', sentBack: 1 });
    expect(first.tasks.find((t) => t.id === 'sj-12')).toMatchObject({ status: 'in_progress', escalation: 'listed' });
    expect(first.tasks.find((t) => t.id === 'sj-14')).toMatchObject({ status: 'extension_pending' });
  });

  it('leaves tasks near or past their deadlines once the scheduler has run: yellow lights and a missed sign-for', async () => {
    expect(first.settled).toBe(true);
    expect(first.tasks.filter((t) => t.rag === 'yellow').map((t) => t.id)).toEqual(expect.arrayContaining(['lanwei-chuanshan', 'wuye-pengxi', 'sj-12']));
    expect(first.signForOverdue).toContain('sj-13');
    const system = (await api.events('supervision.task-sj-13')).filter((e) => (e.metadata.actor as { personId: string }).personId === 'system');
    expect(system.map((e) => e.type)).toEqual(['supervision.sign-for-missed.v1']);
    expect(system[0]?.data).toMatchObject({ unitIds: ['jingkai', 'gongan', 'jinrong'] });
  });

  it('sets the yearly 非访 control targets of DOMAIN.md §9 with their use, 河东新区 at 200% with both warnings', () => {
    const targets = Object.fromEntries(first.controlTargets.map((t) => [t.unitId, { metric: t.metric, used: t.used, limit: t.limit, ratio: t.ratio, warnings: t.warnings }]));
    expect(targets).toEqual({
      chuanshan: { metric: 'beijing_visit', used: 8, limit: 8, ratio: 1, warnings: [0.5, 1] },
      hedong: { metric: 'beijing_visit', used: 6, limit: 3, ratio: 2, warnings: [0.5, 1] },
      pengxi: { metric: 'beijing_visit', used: 4, limit: 8, ratio: 0.5, warnings: [0.5] },
      jingkai: { metric: 'beijing_visit', used: 1, limit: 3, ratio: 1 / 3, warnings: [] },
    });
    expect(new Set(first.controlTargets.map((t) => t.year)).size).toBe(1);
  });

  it('opens the sensitive period for the five districts and zones: today filed in time by three, late by 经开区, missed by 河东新区', async () => {
    const window = first.sensitivePeriod;
    expect(window).toMatchObject({ windowId: 'sensitive-period', name: expect.stringContaining('两会') });
    const today = Object.fromEntries((window?.units ?? []).map((u) => [u.unitId, u.days[0]?.status]));
    expect(today).toEqual({ chuanshan: 'filed', hedong: 'missed', pengxi: 'filed', jingkai: 'late', anju: 'filed' });
    expect(window?.units.find((u) => u.unitId === 'hedong')?.days[0]?.missedEventId).toEqual(expect.any(String));
    expect(window?.units.every((u) => u.days.length === 30 && u.days.slice(1).every((d) => d.status === 'pending'))).toBe(true);
    // Both misses at the cut-off are findings, naming the unit's people in post.
    const found = await fetch(`${api.base}/findings?rule=daily_report_missed`, { headers: { authorization: `Bearer ${first.tokens.inspector}` } });
    const items = ((await found.json()) as { items: { unitId: string; personIds: string[] }[] }).items;
    expect(items.map((f) => f.unitId).sort()).toEqual(['hedong', 'jingkai']);
    expect(items.find((f) => f.unitId === 'hedong')?.personIds.sort()).toEqual(['hedong-handler', 'hedong-leader', 'hedong-portfolio']);
  });

  it('puts every member unit on the office board', () => {
    expect(first.board.map((r) => r.unitId).sort()).toEqual(first.units.map((u) => u.id).sort());
    expect(first.board.find((r) => r.unitId === 'chuanshan')).toMatchObject({ open: 2, escalations: expect.any(Number) });
    expect(first.board.find((r) => r.unitId === 'jingkai')?.sentBack).toBe(1);
  });

  it('hands out working tokens for the office, the office director, 船山区 and an inspector', async () => {
    const me = async (token: string): Promise<unknown> => (await fetch(`${api.base}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(await me(first.tokens.office)).toMatchObject({ roles: ['office'] });
    expect(await me(first.tokens.officeLead)).toMatchObject({ roles: ['office', 'office_lead'] });
    expect(await me(first.tokens.unitLead)).toMatchObject({ unitId: 'chuanshan', roles: ['unit', 'unit_lead'] });
    expect(await me(first.tokens.inspector)).toMatchObject({ roles: ['inspector'] });
  });

  it('run again, records nothing and answers the same data', async () => {
    const before = await api.eventCount();
    const again = await runDemoScenario(new DemoClient(api.base));
    expect(again.outcome).toBe('already_loaded');
    expect(await api.eventCount()).toBe(before);
    expect(again.tasks.map((t) => [t.id, t.status])).toEqual(first.tasks.map((t) => [t.id, t.status]));
  });

  it('refuses, recording nothing, a database that holds only part of the demo', async () => {
    const other = await ApiHarness.start('e2e_demo_partial', { CLOCK_MODE: 'manual' });
    try {
      await other.as('office', { personId: 'p-office', name: '联席办', roles: ['office'] });
      expect((await other.post('/units', 'office', { id: 'chuanshan', name: '船山区', kind: 'district' })).status).toBe(201);
      const before = await other.eventCount();
      await expect(runDemoScenario(new DemoClient(other.base))).rejects.toBeInstanceOf(DemoConflictError);
      expect(await other.eventCount()).toBe(before);
    } finally {
      await other.stop();
    }
  });
});

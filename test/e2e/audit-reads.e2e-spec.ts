import { type ApiHarness, ok } from './support/api-harness';
import { registerChuanshan, startCheckedApi, tamper } from './support/audit-fixtures';
import type { OpenApiContract } from './support/openapi';

const DAY = 86_400_000;
type Entry = { eventId: string; type: string; streamId: string; position: number; occurredAt: string; recordedAt: string };
type Line = { personId: string; role: string; liability: string; basis: string; evidence: string[] };

describe('inspectors read history: timeline, state as of a moment, responsibility (manual clock)', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let t0: number;
  const at = (days: number): string => new Date(t0 + days * DAY).toISOString();
  const advanceTo = async (days: number) => ok(await api.post('/dev/clock', 'office', { set: at(days) }));
  const dataReads = async (): Promise<number> => Number((await api.sql.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type = 'audit.data-read.v1'`)).rows[0]?.n);

  beforeAll(async () => {
    ({ api, contract } = await startCheckedApi('e2e_audit_reads', { CLOCK_MODE: 'manual' }));
    t0 = Date.parse(String(ok(await api.get('/dev/clock', 'office')).body.now));
    await registerChuanshan(api);
    ok(await api.post('/units/chuanshan/posts', 'office', { personId: 'p-old', name: '原区长', post: 'primary_leader' }), 201);
    ok(await api.post('/units/chuanshan/posts', 'office', { personId: 'p-h', name: '承办人 李', post: 'handler' }), 201);
    ok(await api.post('/meetings', 'office', {
      id: 'm1', title: '专题会议', kind: 'thematic', convenorId: 'p-sj', convenorName: '副书记', heldAt: at(0),
      attendees: [{ personId: 'p-sj', name: '副书记' }, { personId: 'p-zr', name: '办公室主任' }, { personId: 'p-dis', name: '住建局长' }],
    }), 201);
    ok(await api.post('/meetings/m1/decisions', 'office', {
      text: '烂尾楼限期复工', deciders: ['p-sj'], participants: ['p-zr', 'p-dis'], dissents: [{ personId: 'p-dis', opinion: '期限过短' }],
      tasks: [{ id: 'lw', title: '烂尾楼复工', description: '限期复工', leadUnitId: 'chuanshan', dueAt: at(5) }],
    }), 201);
    await advanceTo(1);
    ok(await api.post('/tasks/lw/sign-for', 'cs'));
    await advanceTo(2);
    // Recorded on day 2, but it says it happened on day 1.2 (an offline report).
    ok(await api.post('/tasks/lw/progress-reports', 'cs', { summary: '已复工一栋', occurredAt: at(1.2) }));
    await advanceTo(3);
    ok(await api.post('/units/chuanshan/posts/p-old/end', 'office', { reason: '调任' }));
    ok(await api.post('/units/chuanshan/posts', 'office', { personId: 'p-new', name: '新区长', post: 'primary_leader' }), 201);
    await advanceTo(6); // past the deadline of day 5: the scheduler records the task overdue
    ok(await api.post('/units/chuanshan/posts/p-new/end', 'office', { reason: '调任' }));
    ok(await api.post('/units/chuanshan/posts', 'office', { personId: 'p-today', name: '现任区长', post: 'primary_leader' }), 201);
  });
  afterAll(async () => api?.stop());

  it('shows every event touching the task in record order with business and record time; knownAt and asOf cut it', async () => {
    const all = ok(await api.get('/audit/tasks/lw/timeline', 'inspector')).body.events as Entry[];
    const types = all.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['meetings.meeting-held.v1', 'meetings.decision-recorded.v1', 'supervision.task-issued.v1', 'supervision.task-signed-for.v1', 'supervision.progress-reported.v1', 'units.post-assigned.v1', 'units.post-ended.v1', 'supervision.task-overdue.v1']));
    expect(types).not.toContain('units.unit-registered.v1');
    expect(all.map((e) => e.position)).toEqual([...all.map((e) => e.position)].sort((a, b) => a - b));
    const report = all.find((e) => e.type === 'supervision.progress-reported.v1') as Entry;
    expect([Date.parse(report.occurredAt), Date.parse(report.recordedAt)]).toEqual([Date.parse(at(1.2)), Date.parse(at(2))]);
    expect(report.recordedAt).toMatch(/\+08:00$/);
    expect(all.filter((e) => e.streamId === 'units.unit-chuanshan')).toHaveLength(6); // 4 assignments, 2 ends; not the registration

    const knownEarly = ok(await api.get(`/audit/tasks/lw/timeline?knownAt=${encodeURIComponent(at(1.5))}`, 'inspector')).body.events as Entry[];
    expect(knownEarly.map((e) => e.type)).toContain('supervision.task-signed-for.v1');
    expect(knownEarly.map((e) => e.type)).not.toContain('supervision.progress-reported.v1');
    const asOfEarly = ok(await api.get(`/audit/tasks/lw/timeline?asOf=${encodeURIComponent(at(1.1))}`, 'inspector')).body.events as Entry[];
    expect(asOfEarly.map((e) => e.type)).not.toContain('supervision.progress-reported.v1');
    expect(ok(await api.get(`/audit/tasks/lw/timeline?asOf=${encodeURIComponent(at(1.3))}`, 'inspector')).body.events).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: report.eventId })]));
  });

  it('checks the hash chains of every stream the timeline is read from, and names an altered event', async () => {
    const intact = ok(await api.get('/audit/tasks/lw/timeline?knownAt=' + encodeURIComponent(at(1.5)), 'inspector')).body;
    const streams = new Set((ok(await api.get('/audit/tasks/lw/timeline', 'inspector')).body.events as Entry[]).map((e) => e.streamId));
    // Whole streams are checked, whatever knownAt hides: tampering is about what is stored now.
    expect(intact.verification).toEqual({ ok: true, streams: streams.size, checkedEvents: expect.any(Number) });
    const { rows } = await api.sql.query<{ position: string; event_id: string; data: unknown }>("SELECT position, event_id, data FROM events WHERE stream_id = 'supervision.task-lw' AND type = 'supervision.progress-reported.v1'");
    const row = rows[0] as { position: string; event_id: string; data: unknown };
    await tamper(api, `UPDATE events SET data = jsonb_set(data, '{summary}', '"已完成"') WHERE position = $1`, [row.position]);
    try {
      const altered = ok(await api.get('/audit/tasks/lw/timeline', 'inspector')).body.verification as { ok: boolean; firstBad: { eventId: string; streamId: string } };
      expect(altered.ok).toBe(false);
      expect(altered.firstBad).toMatchObject({ eventId: row.event_id, streamId: 'supervision.task-lw' });
    } finally {
      await tamper(api, 'UPDATE events SET data = $2 WHERE position = $1', [row.position, JSON.stringify(row.data)]);
    }
    expect(ok(await api.get('/audit/tasks/lw/timeline', 'inspector')).body.verification).toMatchObject({ ok: true });
  });

  it('rebuilds the task as it stood at a moment, in the same shape GET /tasks/{id} gives', async () => {
    expect((await api.get(`/audit/tasks/lw/state?asOf=${encodeURIComponent(at(-1))}`, 'inspector')).status).toBe(404);
    expect(ok(await api.get(`/audit/tasks/lw/state?asOf=${encodeURIComponent(at(0.5))}`, 'inspector')).body).toMatchObject({ id: 'lw', status: 'issued', rag: 'green', version: 1, signedFor: [] });
    expect(ok(await api.get(`/audit/tasks/lw/state?asOf=${encodeURIComponent(at(1.5))}`, 'inspector')).body).toMatchObject({ status: 'acknowledged', version: 2, signedFor: ['chuanshan'] });
    expect(ok(await api.get(`/audit/tasks/lw/state?asOf=${encodeURIComponent(at(2.5))}`, 'inspector')).body).toMatchObject({ status: 'in_progress', lastReportAt: expect.stringMatching(/\+08:00$/), overdue: false });
    const now = ok(await api.get('/audit/tasks/lw/state', 'inspector')).body;
    expect(now).toMatchObject({ status: 'in_progress', rag: 'red', overdue: true });
    const head = (await api.sql.query<{ p: string }>('SELECT max(position) AS p FROM events')).rows[0]?.p ?? '0';
    const { asOf: _, ...view } = now;
    expect(ok(await api.get(`/tasks/lw?minPosition=${head}`, 'inspector')).body).toEqual(view);
    expect((await api.get('/audit/tasks/nope/state', 'inspector')).status).toBe(404);
  });

  it('traces responsibility to the leader in post at the deadline and attributes the decision by who decided and who dissented', async () => {
    const r = ok(await api.get('/audit/tasks/lw/responsibility', 'inspector')).body as { attribution: { proposal: boolean; lines: Line[] }; custody: { signedFor: { personId: string }[]; units: { posts: { personId: string }[] }[] }; office: { omissions: unknown[] } };
    expect(r.attribution.proposal).toBe(true);
    const omission = r.attribution.lines.filter((l) => l.basis === 'act_or_omission').map((l) => [l.personId, l.role, l.liability]);
    expect(omission).toEqual(expect.arrayContaining([['p-new', 'primary_leader', 'leadership'], ['p-h', 'handler', 'direct']]));
    expect(omission.map(([p]) => p)).not.toContain('p-old');
    expect(omission.map(([p]) => p)).not.toContain('p-today');
    const decision = r.attribution.lines.filter((l) => l.basis === 'decision').map((l) => [l.personId, l.liability]);
    expect(decision).toEqual([['p-sj', 'primary_leadership'], ['p-zr', 'important_leadership'], ['p-dis', 'none']]);
    expect(r.attribution.lines.every((l) => l.evidence.length > 0)).toBe(true);
    expect(r.custody.signedFor).toEqual([expect.objectContaining({ personId: 'p-lw' })]);
    expect(r.custody.units[0]?.posts.map((p) => p.personId)).toEqual(['p-old', 'p-h', 'p-new', 'p-today']);
    // Overdue on day 5, checked on day 6: the office's two days have not run out yet.
    expect(r.office.omissions).toEqual([]);
    await advanceTo(8);
    const later = ok(await api.get('/audit/tasks/lw/responsibility', 'inspector')).body as { office: { omissions: { kind: string }[] } };
    expect(later.office.omissions).toEqual([expect.objectContaining({ kind: 'overdue_not_supervised' })]);
  });

  it('traces responsibility as the ledger stood at a moment: only what was recorded by then, judged then', async () => {
    type Then = { generatedAt: string; custody: { units: { posts: { personId: string }[] }[] }; office: { omissions: unknown[] }; findings: { rule: string }[]; attribution: { lines: Line[] } };
    const asOf = async (days: number): Promise<Then> => ok(await api.get(`/audit/tasks/lw/responsibility?asOf=${encodeURIComponent(at(days))}`, 'inspector')).body as Then;
    // Day 6.5: overdue and its finding on record, the office's two days (from the day-5 deadline) not yet over.
    const overdue = await asOf(6.5);
    expect(Date.parse(overdue.generatedAt)).toBe(Date.parse(at(6.5)));
    expect(overdue.office.omissions).toEqual([]);
    expect(overdue.findings.map((f) => f.rule)).toEqual(['task_overdue']);
    // Day 2.5: not overdue, and 原区长 still the only primary leader on record.
    const early = await asOf(2.5);
    expect(early.custody.units[0]?.posts.map((p) => p.personId)).toEqual(['p-old', 'p-h']);
    expect(early.attribution.lines.filter((l) => l.basis === 'act_or_omission')).toEqual([]);
    expect(early.findings).toEqual([]);
    const before = await api.get(`/audit/tasks/lw/responsibility?asOf=${encodeURIComponent(at(-1))}`, 'inspector');
    expect([before.status, before.body.code]).toEqual([404, 'TASK_NOT_FOUND']);
    expect((await api.get('/audit/tasks/lw/responsibility?asOf=soon', 'inspector')).status).toBe(400);
  });

  it('serves a stream with its hash chain, as recorded by asOf', async () => {
    const events = ok(await api.get('/audit/streams/supervision.task-lw', 'inspector')).body.events as { hash: string; prevHash: string | null; streamVersion: number; metadata: { actor: { personId: string } } }[];
    expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.prevHash).toBeNull();
    for (let i = 1; i < events.length; i += 1) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    const early = ok(await api.get(`/audit/streams/supervision.task-lw?asOf=${encodeURIComponent(at(1.5))}`, 'inspector')).body.events as unknown[];
    expect(early).toHaveLength(2);
    expect((await api.get('/audit/streams/supervision.task-nope', 'inspector')).status).toBe(404);
  });

  it('refuses other roles and bad moments, and records every inspector read as an event', async () => {
    const before = await dataReads();
    for (const who of ['office', 'cs', 'admin']) {
      for (const path of ['/audit/tasks/lw/timeline', '/audit/tasks/lw/state', '/audit/tasks/lw/responsibility', '/audit/streams/supervision.task-lw']) {
        expect([who, path, (await api.get(path, who)).status]).toEqual([who, path, 403]);
      }
    }
    const bad = await api.get('/audit/tasks/lw/state?asOf=yesterday', 'inspector');
    expect([bad.status, bad.body.code, bad.contentType]).toEqual([400, 'INVALID_PARAMETER', expect.stringMatching(/^application\/problem\+json/)]);
    expect((await api.get('/audit/tasks/lw/timeline?knownAt=2026-13-01', 'inspector')).status).toBe(400);
    expect(await dataReads()).toBe(before);
    ok(await api.get('/audit/tasks/lw/timeline', 'inspector'));
    ok(await api.get('/audit/tasks/lw/state', 'inspector'));
    ok(await api.get('/audit/tasks/lw/responsibility', 'inspector'));
    ok(await api.get('/audit/streams/supervision.task-lw', 'inspector'));
    expect(await dataReads()).toBe(before + 4);
    const { rows } = await api.sql.query<{ resource: string; person: string }>(`SELECT data->>'resource' AS resource, metadata->'actor'->>'personId' AS person FROM events WHERE type = 'audit.data-read.v1' ORDER BY position DESC LIMIT 4`);
    expect(rows.map((r) => r.resource).sort()).toEqual(['audit.stream', 'audit.task-responsibility', 'audit.task-state', 'audit.task-timeline']);
    expect(new Set(rows.map((r) => r.person))).toEqual(new Set(['p-jj']));
  });

  it('answered every request as the OpenAPI document describes', () => {
    expect(contract.violations).toEqual([]);
  });
});

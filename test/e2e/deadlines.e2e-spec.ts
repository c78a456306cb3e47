import { ApiHarness } from './support/api-harness';
import { OpenApiContract } from './support/openapi';

const DAY = 86_400_000;

describe('deadline events with two api processes on one database', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let second: string;

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_deadlines', { CLOCK_MODE: 'manual' });
    contract = await OpenApiContract.load(api);
    api.onReply = (method, path, reply) => contract.check(method, path, reply);
    second = await api.boot({ CLOCK_MODE: 'manual' });
    await api.as('office', { personId: 'p-wf', name: '王芳', roles: ['office'] });
    await api.as('unit', { personId: 'p-lw', name: '刘伟', unitId: 'chuanshan', roles: ['unit'] });
    expect((await api.post('/units', 'office', { id: 'chuanshan', name: '船山区', kind: 'district' })).status).toBe(201);
  });
  afterAll(async () => api?.stop());

  it('records each deadline exactly once when both processes reach it at the same moment', async () => {
    const now = Date.parse(String((await api.get('/dev/clock', 'office')).body.now));
    const ids = Array.from({ length: 12 }, (_, i) => `race-${i}`);
    for (const [i, id] of ids.entries()) {
      const issued = await api.post('/tasks', 'office', { id, title: id, description: 'x', source: { kind: 'other' }, leadUnitId: 'chuanshan', dueAt: new Date(now + 2 * DAY).toISOString(), reportEveryDays: 1 });
      expect(issued.status).toBe(201);
      // Half are signed for: the others also miss their sign-for deadline.
      if (i % 2 === 0) expect((await api.post(`/tasks/${id}/sign-for`, 'unit')).status).toBe(200);
    }
    // Both processes move to the same moment and run their schedulers concurrently, twice.
    const target = new Date(now + 3 * DAY).toISOString();
    for (let round = 0; round < 2; round += 1) {
      const replies = await Promise.all([api.send('POST', '/dev/clock', 'office', { set: target }), api.send('POST', '/dev/clock', 'office', { set: target }, {}, second)]);
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
    }
    const { rows } = await api.sql.query<{ stream_id: string; type: string; deadline: string; n: string }>(
      `SELECT stream_id, type, coalesce(data->>'dueAt', data->>'signForDueAt') AS deadline, count(*) AS n
         FROM events WHERE metadata->'actor'->>'personId' = 'system' GROUP BY 1, 2, 3`,
    );
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    const overdue = rows.filter((r) => r.type === 'supervision.task-overdue.v1').map((r) => r.stream_id).sort();
    expect(overdue).toEqual(ids.map((id) => `supervision.task-${id}`).sort());
    const missed = rows.filter((r) => r.type === 'supervision.sign-for-missed.v1');
    expect(missed).toHaveLength(6);
    // Signed-for tasks owe a report a day from issue: due after 1, 2 and 3 days, each recorded once.
    expect(rows.filter((r) => r.type === 'supervision.progress-report-missed.v1' && r.stream_id === 'supervision.task-race-0')).toHaveLength(3);
  });

  it('refuses to move the clock backwards, and is not there without CLOCK_MODE=manual', async () => {
    const back = await api.post('/dev/clock', 'office', { set: '2020-01-01T00:00:00Z' });
    expect(back).toMatchObject({ status: 422, body: { code: 'CLOCK_BACKWARDS' } });
    expect((await api.post('/dev/clock', 'office', { advance: 'P1M' })).status).toBe(400);
    const plain = await api.boot();
    expect((await api.send('GET', '/dev/clock', 'office', undefined, {}, plain)).status).toBe(404);
  });

  it('answered every request of this journey as /docs-json documents it', () => {
    expect(contract.violations).toEqual([]);
  });
});

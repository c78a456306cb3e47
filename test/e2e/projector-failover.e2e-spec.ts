import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { PROJECTIONS } from '@app/projections';
import { ApiHarness, ok } from './support/api-harness';
import { buildOnce, ownersByPid, processEnv, projectionsAt, readModels, rebuiltReadModels, startProcess, until, type RunningProcess } from './support/processes';

/*
 * DESIGN.md §4: several projector processes (apps/projector) share the projections, each owned by
 * one process at a time through an advisory lock, and a dead owner's projections move to another
 * within seconds. The api runs with PROJECTOR=off, so only the projector processes apply events.
 */
describe('projector processes: shared work and failover', () => {
  let api: ApiHarness;
  let pool: Pool;
  let store: PostgresEventStore;
  let a: RunningProcess;
  let b: RunningProcess;
  const all = PROJECTIONS.length;
  const UNITS = ['chuanshan', 'hedong'];
  const TASKS = Array.from({ length: 8 }, (_, i) => `t-${i}`);

  beforeAll(async () => {
    buildOnce();
    api = await ApiHarness.start('e2e_projectors', { PROJECTOR: 'off', RATE_LIMIT_PER_MINUTE: '0' });
    pool = new Pool({ connectionString: api.db.url, max: 2 });
    store = new PostgresEventStore({ connectionString: api.db.url });
    await api.as('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    for (const unitId of UNITS) await api.as(unitId, { personId: `p-${unitId}`, name: `${unitId} 经办人`, unitId, roles: ['unit'] });
  });
  afterAll(async () => {
    for (const p of [a, b]) if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await store?.close();
    await pool?.end();
    await api?.stop();
  });

  it('two projector processes each own half of the projections', async () => {
    a = startProcess('projector', { ...processEnv(api.db.url), PGAPPNAME: 'projector-a' });
    b = startProcess('projector', { ...processEnv(api.db.url), PGAPPNAME: 'projector-b' });
    await until('both projectors to own half each', async () => {
      const owners = [...(await ownersByPid(pool)).values()];
      return owners.length === 2 && owners.every((n) => n === all / 2);
    }, 30_000, [a, b]);
  });

  it('keeps every read model in step while one projector is killed mid-batch: the other owns them all within seconds, and nothing is skipped or applied twice', async () => {
    for (const unitId of UNITS) ok(await api.post('/units', 'office', { id: unitId, name: unitId, kind: 'district' }), 201);
    await until('the units read model', () => projectionsAt(pool, 2), 30_000, [a, b]);
    for (const [i, id] of TASKS.entries()) {
      const unitId = UNITS[i % 2] as string;
      ok(await api.post('/tasks', 'office', { id, title: `任务 ${id}`, description: '化解积案', source: { kind: 'other' }, leadUnitId: unitId, dueAt: '2099-06-30T18:00:00+08:00' }), 201);
      ok(await api.post(`/tasks/${id}/sign-for`, unitId));
    }

    // Eight writers report progress on their own task until told to stop.
    let writing = true;
    let acknowledged = 0;
    const writers = TASKS.map(async (id, i) => {
      while (writing) {
        ok(await api.post(`/tasks/${id}/progress-reports`, UNITS[i % 2] as string, { summary: `第${acknowledged}次进展` }));
        acknowledged += 1;
      }
    });

    // Kill projector A while one of its batches is open in the database: between BEGIN and COMMIT.
    await until('projector A inside a batch transaction', async () => {
      const { rows } = await pool.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'projector-a' AND xact_start IS NOT NULL AND state IN ('active', 'idle in transaction') AND query NOT ILIKE '%advisory%'`);
      if (rows.length === 0) return false;
      a.child.kill('SIGKILL');
      return true;
    }, 30_000, [a, b]);
    expect(await a.ended).toBe('SIGKILL');
    const failoverMs = await until('projector B to own every projection', async () => [...(await ownersByPid(pool)).values()].join() === String(all), 15_000, [b]);
    expect(failoverMs).toBeLessThan(10_000);

    await new Promise((resolve) => setTimeout(resolve, 1500));
    writing = false;
    await Promise.all(writers);
    expect(acknowledged).toBeGreaterThan(20);
    const head = await store.headPosition();
    await until('projector B to apply the whole log', () => projectionsAt(pool, head), 30_000, [b]);

    // Each task's read model has exactly the versions its stream has: no report lost or doubled.
    for (const id of TASKS) {
      const task = ok(await api.read(`/tasks/${id}`, 'office')).body;
      expect(task.version).toBe((await store.streamHead(`supervision.task-${id}`))?.version);
    }
    b.child.kill('SIGTERM');
    expect(await b.ended).toBe('0');
    const live = await readModels(pool);
    expect(await rebuiltReadModels(pool, store)).toEqual(live);
  });
});

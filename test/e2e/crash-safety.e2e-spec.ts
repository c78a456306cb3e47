import { mkdirSync, writeFileSync } from 'node:fs';
import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { runMigrations } from '@app/projections';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { buildOnce, freePort, processEnv, projectionsAt, readModels, rebuiltReadModels, startProcess, until, type RunningProcess } from './support/processes';

/*
 * Crash safety (issue 6): real api and projector processes killed with SIGKILL while eight writers
 * send commands, each under its own Idempotency-Key and retried with that key until acknowledged.
 * Every acknowledged command must be in the log exactly once, at the position its answer named,
 * and the read models must equal a rebuild from the log.
 */

const WRITERS = 8;
const UNITS = ['chuanshan', 'hedong'];

interface Ack {
  key: string;
  summary: string;
  position: number;
  attempts: number;
}

describe('crash safety: SIGKILL of the api and of the projector while writers retry under Idempotency-Keys', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let env: Record<string, string>;
  let base = '';
  let api: RunningProcess | null = null;
  let projector: RunningProcess | null = null;
  const tokens: Record<string, string> = {};
  /** What the runs did, for the record (test-artifacts/crash-safety.json). */
  const report: Record<string, number> = {};
  /** Keys taken over from a killed process: the api logs each. */
  let apiOutputs = '';

  const startApi = async (extra: Record<string, string> = {}): Promise<void> => {
    api = startProcess('api', { ...env, ...extra });
    const started = api;
    await until('the api to be ready', async () => {
      const reply = await fetch(`${base.replace('/api/v1', '')}/health/ready`).catch(() => null);
      return reply?.status === 200;
    }, 60_000, [started]);
  };
  const kill = async (process: RunningProcess | null): Promise<void> => {
    if (process === api) apiOutputs += api?.output() ?? '';
    process?.child.kill('SIGKILL');
    expect(await process?.ended).toBe('SIGKILL');
  };
  /** One command, retried with the same key until the api acknowledges it (as a careful client would). */
  const command = async (who: string, path: string, body: unknown, key: string): Promise<{ body: Record<string, unknown>; attempts: number }> => {
    const deadline = Date.now() + 45_000;
    for (let attempts = 1; ; attempts += 1) {
      const reply = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[who] ?? ''}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      }).catch(() => null);
      if (reply && reply.status < 300) return { body: (await reply.json()) as Record<string, unknown>, attempts };
      // Down (refused, reset), restarting (5xx), the first attempt's claim not yet found abandoned (409), or slow down (429).
      if ((reply && reply.status < 500 && reply.status !== 409 && reply.status !== 429) || Date.now() > deadline) throw new Error(`${path} under ${key}: ${reply ? `${reply.status} ${await reply.text()}` : 'no answer'}\n${api?.output() ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  };
  const writer = async (i: number, count: number, tag: string, acks: Ack[]): Promise<void> => {
    const unit = UNITS[i % 2] as string;
    for (let n = 0; n < count; n += 1) {
      const summary = `${tag} writer ${i} report ${n}`;
      const key = `${tag}-w${i}-r${n}`;
      const { body, attempts } = await command(unit, `/tasks/t-${i}/progress-reports`, { summary }, key);
      acks.push({ key, summary, position: Number(body.position), attempts });
    }
  };
  /** Each acknowledged report is in the log once, where its answer said; no other report of the run is. */
  const expectExactlyOnce = async (tag: string, acks: Ack[]): Promise<void> => {
    const { rows } = await pool.query<{ summary: string; position: string }>(
      `SELECT data->>'summary' AS summary, position FROM events WHERE type = 'supervision.progress-reported.v1' AND data->>'summary' LIKE $1 ORDER BY position`,
      [`${tag} %`],
    );
    expect(rows.map((r) => r.summary).sort()).toEqual(acks.map((a) => a.summary).sort());
    const where = new Map(rows.map((r) => [r.summary, Number(r.position)]));
    expect(acks.filter((a) => where.get(a.summary) !== a.position)).toEqual([]);
  };
  const settleAndCompare = async (): Promise<void> => {
    const head = await store.headPosition();
    await until('the read models to apply the whole log', () => projectionsAt(pool, head), 60_000, [api, projector].filter((p): p is RunningProcess => p !== null));
    const live = await readModels(pool);
    expect(await rebuiltReadModels(pool, store)).toEqual(live);
  };

  beforeAll(async () => {
    buildOnce();
    db = await createTestDatabase('e2e_crash');
    await runMigrations(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    store = new PostgresEventStore({ connectionString: db.url });
    const port = await freePort();
    env = { ...processEnv(db.url), PORT: String(port) };
    base = `http://127.0.0.1:${port}/api/v1`;
    await startApi();
    const token = async (name: string, claims: Record<string, unknown>): Promise<void> => {
      const reply = await fetch(`${base}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) });
      tokens[name] = ((await reply.json()) as { token: string }).token;
    };
    await token('office', { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] });
    for (const unitId of UNITS) await token(unitId, { personId: `p-${unitId}`, name: `${unitId} 经办人`, unitId, roles: ['unit'] });
    for (const unitId of UNITS) await command('office', '/units', { id: unitId, name: unitId, kind: 'district' }, `unit-${unitId}`);
    await until('the units read model', () => projectionsAt(pool, 2), 30_000, [api as RunningProcess]);
    for (let i = 0; i < WRITERS; i += 1) {
      const unit = UNITS[i % 2] as string;
      await command('office', '/tasks', { id: `t-${i}`, title: `任务 ${i}`, description: '化解积案', source: { kind: 'other' }, leadUnitId: unit, dueAt: '2099-06-30T18:00:00+08:00' }, `task-${i}`);
      await command(unit, `/tasks/t-${i}/sign-for`, {}, `sign-${i}`);
    }
  });
  afterAll(async () => {
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/crash-safety.json', `${JSON.stringify(report)}\n`);
    for (const p of [api, projector]) if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('the api killed twice mid-traffic: every acknowledged command is recorded exactly once, and the read models equal a rebuild', async () => {
    const acks: Ack[] = [];
    const writing = Array.from({ length: WRITERS }, (_, i) => writer(i, 40, 'api-crash', acks));
    for (const after of [60, 180]) {
      await until(`${after} acknowledged commands`, async () => acks.length >= after, 60_000, [api as RunningProcess]);
      await kill(api);
      await startApi();
    }
    await Promise.all(writing);
    expect(acks).toHaveLength(WRITERS * 40);
    // Some commands were cut off by a kill and acknowledged only on a retry.
    expect(acks.filter((a) => a.attempts > 1).length).toBeGreaterThan(0);
    await expectExactlyOnce('api-crash', acks);
    Object.assign(report, {
      apiKills: 2,
      apiCommands: acks.length,
      apiRetried: acks.filter((a) => a.attempts > 1).length,
      apiKeysTakenOver: (`${apiOutputs}${api?.output() ?? ''}`.match(/took over idempotency key/g) ?? []).length,
    });
    await settleAndCompare();
  });

  it('the projector killed at 20 random points while writers go on: the read models end equal to a rebuild', async () => {
    await kill(api);
    await startApi({ PROJECTOR: 'off' });
    const acks: Ack[] = [];
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, i) => {
      for (let round = 0; writing; round += 1) await writer(i, 1, `projector-crash round${round}`, acks);
    });
    let kills = 0;
    for (; kills < 20; kills += 1) {
      projector = startProcess('projector', env);
      // Somewhere from its start-up to well into its batches.
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 1500));
      await kill(projector);
    }
    writing = false;
    await Promise.all(writers);
    expect(kills).toBe(20);
    expect(acks.length).toBeGreaterThan(WRITERS);
    Object.assign(report, { projectorKills: kills, projectorRunCommands: acks.length });
    projector = startProcess('projector', env);
    await expectExactlyOnce('projector-crash', acks);
    await settleAndCompare();
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ApiHarness, ok } from './support/api-harness';
import { issueProvincialTask, registerChuanshan, startCheckedApi, storedEvents, tamper } from './support/audit-fixtures';
import type { OpenApiContract } from './support/openapi';

const root = resolve(__dirname, '../..');

/** The built CLI, with only the environment given (verify-bundle gets no database at all). */
function cli(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface BundledEvent {
  eventId: string;
  streamId: string;
  position: number;
  type: string;
  data: Record<string, unknown>;
}

describe('evidence bundles and tamper evidence, over HTTP and the command line', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let dir: string;
  let dbEnv: Record<string, string>;

  const positionOf = async (streamId: string, version: number): Promise<number> => Number((await storedEvents(api, streamId))[version - 1]?.position);
  const writeBundle = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const exportText = async (body: unknown): Promise<string> => {
    const reply = ok(await api.post('/audit/exports', 'inspector', body));
    return JSON.stringify(reply.body);
  };

  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'sl-bundle-'));
    ({ api, contract } = await startCheckedApi('e2e_bundle'));
    dbEnv = { DATABASE_URL: api.db.url, LEDGER_KEY_FILE: join(dir, 'cli-ledger.key') };
    await registerChuanshan(api);
    for (const id of ['lanwei', 'wuye']) {
      ok(await issueProvincialTask(api, id, '推动项目复工交房'), 201);
      ok(await api.post(`/tasks/${id}/sign-for`, 'cs'));
    }
    ok(await api.post('/tasks/lanwei/progress-reports', 'cs', { summary: '已复工两栋', percent: 40 }));
  });
  afterAll(async () => api?.stop());

  it('exports a task’s whole chain with proofs; verify-bundle checks it with no database and exits 0', async () => {
    const text = await exportText({ taskIds: ['lanwei'] });
    const bundle = JSON.parse(text) as { events: BundledEvent[]; proofs: unknown[]; checkpoint: { seq: number }; selection: { streamIds: string[] } };
    expect(bundle.selection.streamIds).toEqual(['supervision.task-lanwei']);
    expect(bundle.events.map((e) => e.type)).toEqual(['supervision.task-issued.v1', 'supervision.task-signed-for.v1', 'supervision.progress-reported.v1']);
    expect(bundle.proofs).toHaveLength(3);
    // A database that cannot be reached: the offline check must never try it.
    const r = cli(['verify-bundle', writeBundle('intact.json', text)], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', EVENT_STORE: 'nonsense' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, checkedEvents: 3, streams: 1, checkpoint: { seq: bundle.checkpoint.seq } });
  });

  it('a bundle changed by one character, or with an event removed or reordered, fails verify-bundle naming the event', async () => {
    const text = await exportText({ taskIds: ['lanwei', 'wuye'] });
    const bundle = JSON.parse(text) as { events: BundledEvent[] };
    const report = bundle.events.find((e) => e.type === 'supervision.progress-reported.v1') as BundledEvent;
    expect(text.split('已复工两栋')).toHaveLength(2);
    const changed = cli(['verify-bundle', writeBundle('changed.json', text.replace('已复工两栋', '已复工三栋'))]);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout)).toMatchObject({ ok: false, firstBad: { eventId: report.eventId, streamId: 'supervision.task-lanwei', position: report.position, reason: 'hash_mismatch' } });
    expect(changed.stderr).toContain(`event ${report.eventId}`);

    const removed = JSON.parse(text) as { events: BundledEvent[] };
    const [gone] = removed.events.splice(1, 1) as [BundledEvent];
    const r1 = cli(['verify-bundle', writeBundle('removed.json', JSON.stringify(removed))]);
    expect(r1.code).toBe(1);
    expect(JSON.parse(r1.stdout)).toMatchObject({ firstBad: { eventId: gone.eventId, position: gone.position, reason: 'missing_event' } });

    const reordered = JSON.parse(text) as { events: BundledEvent[] };
    const [a, b] = reordered.events.splice(1, 2) as [BundledEvent, BundledEvent];
    reordered.events.splice(1, 0, b, a);
    const r2 = cli(['verify-bundle', writeBundle('reordered.json', JSON.stringify(reordered))]);
    expect(r2.code).toBe(1);
    expect([a.eventId, b.eventId]).toContain(JSON.parse(r2.stdout).firstBad.eventId);

    expect(cli(['verify-bundle', join(dir, 'no-such-file.json')]).code).toBe(2);
  });

  it('a payload changed in the database: the verification names it, cli verify exits 1, and a bundle exported since shows it', async () => {
    const position = await positionOf('supervision.task-lanwei', 3);
    const saved = (await api.sql.query<{ data: unknown }>('SELECT data FROM events WHERE position = $1', [position])).rows[0]?.data;
    await tamper(api, `UPDATE events SET data = jsonb_set(data, '{percent}', '90') WHERE position = $1`, [position]);
    try {
      const r = ok(await api.post('/audit/verifications', 'inspector', {})).body;
      expect(r).toMatchObject({ ok: false, firstBad: { position, streamId: 'supervision.task-lanwei', reason: 'hash_mismatch' } });
      expect(ok(await api.post('/audit/verifications', 'admin', { streamId: 'supervision.task-lanwei' })).body).toMatchObject({ ok: false, firstBad: { position } });
      const v = cli(['verify'], dbEnv);
      expect(v.code).toBe(1);
      expect(JSON.parse(v.stdout)).toMatchObject({ ok: false, firstBad: { position, reason: 'hash_mismatch' } });
      const bundle = cli(['verify-bundle', writeBundle('tampered-db.json', await exportText({ taskIds: ['lanwei'] }))]);
      expect(bundle.code).toBe(1);
      expect(JSON.parse(bundle.stdout)).toMatchObject({ firstBad: { position, reason: 'hash_mismatch' } });
    } finally {
      await tamper(api, 'UPDATE events SET data = $2 WHERE position = $1', [position, JSON.stringify(saved)]);
    }
    expect(ok(await api.post('/audit/verifications', 'inspector', {})).body).toMatchObject({ ok: true });
  });

  it('a deleted event: the verification names its position and stream, cli verify exits 1', async () => {
    const position = await positionOf('supervision.task-wuye', 1);
    await api.sql.query('CREATE TEMP TABLE saved_event AS SELECT * FROM events WHERE position = $1', [position]);
    await tamper(api, 'DELETE FROM events WHERE position = $1', [position]);
    try {
      expect(ok(await api.post('/audit/verifications', 'inspector', {})).body).toMatchObject({ ok: false, firstBad: { position, streamId: 'supervision.task-wuye', reason: 'missing_event' } });
      const v = cli(['verify'], dbEnv);
      expect(v.code).toBe(1);
      expect(v.stderr).toContain(`at position ${position}`);
    } finally {
      await tamper(api, 'INSERT INTO events SELECT * FROM saved_event');
    }
    expect(ok(await api.post('/audit/verifications', 'inspector', {})).body).toMatchObject({ ok: true });
  });

  it('two events swapped in the log: the verification names the first of them, cli verify exits 1', async () => {
    const [p, q] = [await positionOf('supervision.task-lanwei', 2), await positionOf('supervision.task-wuye', 2)];
    const swap = async () => {
      await tamper(api, 'UPDATE events SET position = -position WHERE position = $1', [p]);
      await tamper(api, 'UPDATE events SET position = $1 WHERE position = $2', [p, q]);
      await tamper(api, 'UPDATE events SET position = $1 WHERE position = $2', [q, -p]);
    };
    await swap();
    try {
      const r = ok(await api.post('/audit/verifications', 'inspector', {})).body as { ok: boolean; firstBad: { position: number } };
      expect(r.ok).toBe(false);
      expect(r.firstBad.position).toBe(Math.min(p, q));
      expect(cli(['verify'], dbEnv).code).toBe(1);
    } finally {
      await swap();
    }
    expect(cli(['verify'], dbEnv).code).toBe(0);
  });

  it('every reply matched the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
  });
});

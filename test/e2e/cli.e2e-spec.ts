import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { runMigrations } from '@app/projections';
import { uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';

const root = resolve(__dirname, '../..');

function run(entry: 'cli' | 'api', args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, `dist/apps/${entry}/src/main.js`), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the command line and the boot checks (built output)', () => {
  let db: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    db = await createTestDatabase('e2e_cli');
    await runMigrations(db.url);
    env = { DATABASE_URL: db.url, LEDGER_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'sl-key-')), 'ledger.key') };
    const store = new PostgresEventStore({ connectionString: db.url });
    for (let i = 1; i <= 5; i += 1) {
      await store.append(`cli.task-${i % 2}`, [{ eventId: uuidv7(), type: 'cli.noted.v1', schemaVersion: 1, data: { i }, metadata: { actor: { personId: 'p', name: 'n', unitId: null, roles: [] }, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: new Date().toISOString() } }], 'any');
    }
    await store.close();
  });
  afterAll(async () => db?.drop());

  it('refuses to start with a bad configuration and names the variable', () => {
    const r = run('api', [], { PORT: 'not-a-port', LEDGER_ALGORITHM: 'rsa' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('LEDGER_ALGORITHM');
  });

  it('starts, prints where it serves and a working dev token, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', ...env, PORT: '0', AUTH_MODE: 'dev', AUTH_JWT_SECRET: 'boot-e2e-secret-boot-e2e-secret-0000', CHECKPOINT_INTERVAL_SECONDS: '0' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!/Dev token[^\n]*\n(\S+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const url = /API on (http:\/\/\S+)/.exec(out)?.[1];
    const token = /Dev token[^\n]*\n(\S+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    const me = await fetch(`${url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ roles: ['admin', 'office', 'office_lead'] });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('signs a checkpoint, then verifies the log as intact', () => {
    const cp = run('cli', ['checkpoint'], env);
    expect(cp.code).toBe(0);
    expect(JSON.parse(cp.stdout)).toMatchObject({ created: true, checkpoint: { seq: 1, treeSize: 5, algorithm: 'ed25519' } });
    const v = run('cli', ['verify'], env);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, checkedEvents: 5, checkedCheckpoints: 1 });
  });

  it('exits 1 and names the position of an altered event', async () => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query<{ position: string }>('SELECT position FROM events ORDER BY position OFFSET 2 LIMIT 1');
    const position = Number(rows[0]?.position);
    await c.query('SET session_replication_role = replica');
    await c.query(`UPDATE events SET data = '{"i": 99}' WHERE position = $1`, [position]);
    await c.end();
    const v = run('cli', ['verify'], env);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: false, firstBad: { position, reason: 'hash_mismatch' } });
    expect(v.stderr).toContain(`at position ${position}`);
  });

  it('explains its usage for an unknown command', () => {
    const r = run('cli', ['frobnicate'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('verify');
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createApp } from '../../apps/api/src/create-app';

const root = resolve(__dirname, '../..');

function cli(args: string[], databaseUrl: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LEDGER_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'sl-key-')), 'ledger.key') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The deployment of docker-compose.yml: the owner runs `cli migrate`, the api (with its inline
 * projections, schedulers, checkpoints and idempotency keys) logs in as a LOGIN user that is only
 * a member of `supervision_app`, and so do the inspectors' CLI checks.
 */
describe('the api running as a member of supervision_app (least privilege)', () => {
  const user = `sl_api_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let db: TestDatabase;
  let owner: Client;
  let app: INestApplication;
  let base = '';
  let appUrl = '';
  const tokens: Record<string, string> = {};

  const send = async (method: string, path: string, who: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who] ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, headers: response.headers };
  };

  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    db = await createTestDatabase('e2e_least_priv');
    const migrated = cli(['migrate'], db.url);
    expect(migrated).toMatchObject({ code: 0, stdout: expect.stringContaining('"schema":"up to date"') });
    owner = new Client({ connectionString: db.url });
    await owner.connect();
    await owner.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}' IN ROLE supervision_app`);
    const url = new URL(db.url);
    url.username = user;
    url.password = password;
    appUrl = url.toString();
    const config = loadConfig({ DATABASE_URL: appUrl, AUTH_MODE: 'dev', DATA_DIR: '.data/e2e', CHECKPOINT_INTERVAL_SECONDS: '1', RATE_LIMIT_PER_MINUTE: '0' });
    app = await createApp({ config, databaseUrl: appUrl }, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
    for (const [name, claims] of Object.entries({
      admin: { personId: 'p-admin', name: '管理员', roles: ['admin', 'office', 'office_lead'] },
      unit: { personId: 'p-cq', name: '船山区 陈强', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] },
      inspector: { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] },
    })) {
      tokens[name] = String((await send('POST', '/auth/dev-token', '', claims)).body.token);
    }
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await owner?.query(`DROP ROLE IF EXISTS ${user}`);
    await owner?.end();
    await db?.drop();
  });

  it('records, projects, replays idempotent requests, signs checkpoints and verifies the log', async () => {
    const { rows } = await owner.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE usename = $1`, [user]);
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);

    expect((await send('POST', '/units', 'admin', { id: 'chuanshan', name: '船山区', kind: 'district' })).status).toBe(201);
    const task = { id: 'lp-1', title: '电梯停运信访', description: '居民反映加装电梯停运', source: { kind: 'leader_instruction' }, leadUnitId: 'chuanshan', dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString() };
    const issued = await send('POST', '/tasks', 'admin', task, { 'idempotency-key': 'lp-issue-1' });
    expect(issued.status).toBe(201);
    const replayed = await send('POST', '/tasks', 'admin', task, { 'idempotency-key': 'lp-issue-1' });
    expect([replayed.status, replayed.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    const signed = await send('POST', '/tasks/lp-1/sign-for', 'unit', {});
    expect(signed.status).toBe(200);

    const board = await send('GET', `/boards/units/chuanshan?minPosition=${String(signed.body.position)}`, 'unit');
    expect(board.status).toBe(200);
    expect(JSON.stringify(board.body)).toContain('lp-1');

    let checkpoints: unknown[] = [];
    for (let waited = 0; waited < 15_000 && checkpoints.length === 0; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      const reply = await send('GET', '/audit/checkpoints', 'inspector');
      checkpoints = Array.isArray(reply.body.items) ? reply.body.items : Array.isArray(reply.body) ? (reply.body as unknown as unknown[]) : [];
    }
    expect(checkpoints.length).toBeGreaterThan(0);
    expect((await send('POST', '/audit/verifications', 'inspector', {})).body).toMatchObject({ ok: true });
  });

  it('lets the CLI verify as the application user, and refuses it a schema change', async () => {
    const verified = cli(['verify'], appUrl);
    expect(verified.code).toBe(0);

    const fresh = await createTestDatabase('e2e_least_priv_fresh');
    try {
      const url = new URL(fresh.url);
      url.username = user;
      url.password = password;
      const refused = cli(['migrate'], url.toString());
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/permission denied for schema public/);
    } finally {
      await fresh.drop();
    }
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { PROJECTIONS, runMigrations } from '@app/projections';
import { uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';

const root = resolve(__dirname, '../..');

describe('npm run cli -- rebuild (built output)', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), 'rebuild', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    db = await createTestDatabase('e2e_rebuild');
    await runMigrations(db.url);
    env = { DATABASE_URL: db.url, LEDGER_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'sl-key-')), 'ledger.key') };
    const store = new PostgresEventStore({ connectionString: db.url });
    const metadata = { actor: { personId: 'p', name: 'n', unitId: null, roles: [] }, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: '2026-03-10T02:00:00.000Z' };
    for (const unitId of ['u-1', 'u-2']) {
      await store.append(`units.unit-${unitId}`, [{ eventId: uuidv7(), type: 'units.unit-registered.v1', schemaVersion: 1, data: { unitId, name: unitId, kind: 'county', parentId: null }, metadata }], 'no_stream');
    }
    await store.close();
  });
  afterAll(async () => db?.drop());

  it('rebuilds a projection named by its prefix and reports the rate', async () => {
    const r = cli('units');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rebuilt units\.v1: 2 events to position \d+ in [\d.]+ s \(\d+ events\/s\)$/m);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      expect((await c.query('SELECT unit_id FROM rm_units ORDER BY unit_id')).rows).toEqual([{ unit_id: 'u-1' }, { unit_id: 'u-2' }]);
    } finally {
      await c.end();
    }
  });

  it('rebuilds them all with --all, and exits 2 listing the names for an unknown one', () => {
    const all = cli('--all');
    expect(all.code).toBe(0);
    expect(all.stdout.match(/^rebuilt /gm)).toHaveLength(PROJECTIONS.length);
    const r = cli('nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown projection 'nope'; known projections: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  });
});

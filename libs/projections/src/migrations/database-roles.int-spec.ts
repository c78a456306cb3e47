import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { PostgresEventStore, type NewEvent } from '@app/event-store';
import { uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { runMigrations } from '../data-source';
import { rebuildProjection } from '../rebuild/rebuild-projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { unitsProjection } from '../units/units.projection';

const actor = { personId: 'p-office', name: '联席办', unitId: null, roles: ['office'] };
const registered = (unitId: string): NewEvent => ({
  eventId: uuidv7(),
  type: 'units.unit-registered.v1',
  schemaVersion: 1,
  data: { unitId, name: `单位 ${unitId}`, kind: 'county', parentId: null },
  metadata: { actor, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: '2026-03-10T02:00:00.000Z' },
});

/** The SQLSTATE and message of what the database refused. */
async function refusal(run: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run;
  } catch (error) {
    return { code: String((error as { code?: string }).code), message: (error as Error).message };
  }
  throw new Error('the database accepted it');
}

/**
 * The roles of migration 1700000000015 as deployments use them: the migrations run as the owner,
 * the application logs in as a LOGIN user that is a member of `supervision_app`, inspectors as a
 * member of `supervision_readonly`. Roles are cluster-wide, so the login users get unique names.
 */
describe('database roles (least privilege)', () => {
  const suffix = randomBytes(4).toString('hex');
  const appUser = `sl_app_login_${suffix}`;
  const readonlyUser = `sl_ro_login_${suffix}`;
  const password = randomBytes(12).toString('hex');
  let db: TestDatabase;
  let owner: Pool;
  let app: Pool;
  let readonly: Pool;
  let store: PostgresEventStore;

  const as = (user: string): string => {
    const url = new URL(db.url);
    url.username = user;
    url.password = password;
    return url.toString();
  };
  const unitRows = async (pool: Pool, unitId: string) => (await pool.query('SELECT name FROM rm_units WHERE unit_id = $1', [unitId])).rows;

  /** Runs the units projection as the application until it has applied the log's head. */
  const project = async (): Promise<void> => {
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(store, app, [unitsProjection], (_, error) => errors.push(error));
    await runner.start();
    try {
      expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    } finally {
      await runner.stop();
    }
    expect(errors).toEqual([]);
  };

  beforeAll(async () => {
    db = await createTestDatabase('roles');
    await runMigrations(db.url);
    owner = new Pool({ connectionString: db.url, max: 4 });
    await owner.query(`CREATE ROLE ${appUser} LOGIN PASSWORD '${password}' IN ROLE supervision_app`);
    await owner.query(`CREATE ROLE ${readonlyUser} LOGIN PASSWORD '${password}' IN ROLE supervision_readonly`);
    app = new Pool({ connectionString: as(appUser), max: 4 });
    readonly = new Pool({ connectionString: as(readonlyUser), max: 2 });
    store = new PostgresEventStore({ connectionString: as(appUser), pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await store?.close();
    await app?.end();
    await readonly?.end();
    await owner?.query(`DROP ROLE IF EXISTS ${appUser}`);
    await owner?.query(`DROP ROLE IF EXISTS ${readonlyUser}`);
    await owner?.end();
    await db?.drop();
  });

  it('lets the application append through the event store, read the log and project it', async () => {
    const { rows } = await app.query<{ user: string; superuser: string }>(`SELECT current_user AS user, current_setting('is_superuser') AS superuser`);
    expect(rows[0]).toEqual({ user: appUser, superuser: 'off' });

    const first = await store.append('units.unit-a', [registered('a')], 'no_stream');
    const second = await store.append('units.unit-b', [registered('b'), { ...registered('b'), type: 'units.post-assigned.v1', data: { unitId: 'b', personId: 'p-1', name: '甲', post: 'primary_leader', from: '2026-01-01T00:00:00.000Z' } }], 'no_stream');
    expect(second.position).toBeGreaterThan(first.position);
    expect((await store.readStream('units.unit-b')).map((e) => e.type)).toEqual(['units.unit-registered.v1', 'units.post-assigned.v1']);
    expect((await store.readAll({ fromPosition: 0 })).events).toHaveLength(3);

    await project();
    expect(await unitRows(app, 'a')).toEqual([{ name: '单位 a' }]);
    expect((await app.query('SELECT person_id FROM rm_unit_posts WHERE unit_id = $1', ['b'])).rows).toEqual([{ person_id: 'p-1' }]);
  });

  it('refuses the application UPDATE, DELETE and TRUNCATE of events and signed checkpoints by privilege, before any trigger', async () => {
    await store.append('units.unit-c', [registered('c')], 'no_stream');
    for (const statement of [
      `UPDATE events SET type = 'forged' WHERE stream_id = 'units.unit-c'`,
      `DELETE FROM events WHERE stream_id = 'units.unit-c'`,
      `TRUNCATE events`,
      `UPDATE ledger_checkpoints SET signature = 'forged'`,
      `DELETE FROM ledger_checkpoints`,
    ]) {
      // The append-only trigger raises the same SQLSTATE, but says "append-only": the grant speaks first.
      expect(await refusal(app.query(statement))).toEqual({ code: '42501', message: expect.stringMatching(/^permission denied for table (events|ledger_checkpoints)$/) });
    }
    // And not even the trigger can be switched off: that takes the owner.
    expect((await refusal(app.query('ALTER TABLE events DISABLE TRIGGER events_no_update_delete'))).message).toMatch(/must be owner of table events/);
    expect((await owner.query(`SELECT type FROM events WHERE stream_id = 'units.unit-c'`)).rows).toEqual([{ type: 'units.unit-registered.v1' }]);
  });

  it('gives the application no schema changes: the api starts when migrations are done, and a pending one fails for it', async () => {
    expect(await runMigrations(as(appUser))).toEqual([]);
    expect((await refusal(app.query('CREATE TABLE sneaky (id int)'))).message).toMatch(/permission denied for schema public/);
    expect((await refusal(app.query('DROP TABLE rm_units'))).message).toMatch(/must be owner of table rm_units/);
    expect((await refusal(app.query(`INSERT INTO schema_migrations (timestamp, name) VALUES (1, 'x')`))).code).toBe('42501');
  });

  it('covers tables made by later migrations, and a rebuild by the owner keeps the application able to write the swapped-in tables', async () => {
    // A later migration, run by the same owner.
    await owner.query('CREATE TABLE rm_later (id text PRIMARY KEY, n int NOT NULL)');
    await app.query(`INSERT INTO rm_later VALUES ('x', 1)`);
    await app.query(`UPDATE rm_later SET n = 2 WHERE id = 'x'`);
    expect((await readonly.query('SELECT n FROM rm_later')).rows).toEqual([{ n: 2 }]);
    await app.query(`DELETE FROM rm_later`);

    await rebuildProjection(owner, store, unitsProjection);
    expect(await unitRows(app, 'c')).toEqual([{ name: '单位 c' }]);
    await store.append('units.unit-d', [registered('d')], 'no_stream');
    await project();
    expect(await unitRows(app, 'd')).toEqual([{ name: '单位 d' }]);
    expect(await unitRows(readonly, 'd')).toEqual([{ name: '单位 d' }]);
  });

  it('lets inspectors read everything and change nothing', async () => {
    expect(Number((await readonly.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n)).toBeGreaterThanOrEqual(4);
    for (const statement of [
      `INSERT INTO rm_units (unit_id, name, kind, parent_id, registered_at, version, position) VALUES ('z', 'z', 'county', NULL, now(), 1, 1)`,
      `UPDATE rm_units SET name = 'z'`,
      `DELETE FROM projection_checkpoints`,
      `DELETE FROM events`,
      `SELECT nextval('events_position_seq')`,
    ]) {
      expect((await refusal(readonly.query(statement))).message).toMatch(/^permission denied for (table|sequence) /);
    }
  });

  it('migrates a second database of the same cluster, where the roles exist already', async () => {
    const other = await createTestDatabase('roles_again');
    try {
      expect(await runMigrations(other.url)).toContain('DatabaseRoles1700000000015');
      const admin = new Client({ connectionString: other.url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ update: boolean; insert: boolean }>(
          `SELECT has_table_privilege('supervision_app', 'events', 'UPDATE') AS update, has_table_privilege('supervision_app', 'events', 'INSERT') AS insert`,
        );
        expect(rows[0]).toEqual({ update: false, insert: true });
      } finally {
        await admin.end();
      }
    } finally {
      await other.drop();
    }
  });
});

import { Pool } from 'pg';
import { PostgresEventStore, type Actor } from '@app/event-store';
import { runMigrations } from '@app/projections';
import { ManualClock, uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { newDataKey } from './personal-data.cipher';
import { PersonalDataVault } from './personal-data.vault';
import { SUBJECT_SHREDDED, subjectStreamId } from './subject-shredded.event';
import { SubjectKeyStore } from './subject-key.store';
import { SubjectShredder } from './subject-shredder';

const admin: Actor = { personId: 'cli:ops', name: '运维', unitId: null, roles: ['admin'] };

describe('the personal-data vault and the shredder (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let keys: SubjectKeyStore;
  const master = newDataKey();
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('privacy_vault');
    await runMigrations(db.url);
    pool = new Pool({ connectionString: db.url, max: 4 });
    store = new PostgresEventStore({ connectionString: db.url, clock });
    keys = new SubjectKeyStore(pool);
  });
  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('gives a new subject one key even when several requests seal for it at once', async () => {
    const vault = new PersonalDataVault(keys, master);
    const sealed = await Promise.all(['甲', '乙', '丙', '丁'].map((name) => vault.seal('s-race', { name })));
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM pii_subject_keys WHERE subject_id = 's-race'`);
    expect(Number(rows[0]?.n)).toBe(1);
    const keyring = await vault.keyring(['s-race']);
    expect(sealed.map((s) => keyring.open('s-race', s).name)).toEqual(['甲', '乙', '丙', '丁']);
  });

  it('refuses to start with another master key once keys exist, and starts with the right one', async () => {
    await new PersonalDataVault(keys, master).seal('s-boot', { name: '某' });
    await expect(new PersonalDataVault(keys, master).checkMasterKey()).resolves.toBeUndefined();
    await expect(new PersonalDataVault(keys, newDataKey()).checkMasterKey()).rejects.toThrow(/PII_MASTER_KEY_FILE/);
  });

  it('shreds once: the event first, then the key; a shred interrupted between the two finishes on the next run', async () => {
    const vault = new PersonalDataVault(keys, master);
    await vault.seal('s-cut', { name: '某甲' });
    const shredder = new SubjectShredder(keys, store, clock);
    // As if an earlier run died after recording the event and before destroying the key.
    await store.append(subjectStreamId('s-cut'), [{ eventId: uuidv7(), type: SUBJECT_SHREDDED, schemaVersion: 1, data: { subjectId: 's-cut', reason: null, at: clock.now().toISOString() }, metadata: { actor: admin, correlationId: 'c', causationId: null, requestId: null, occurredAt: clock.now().toISOString() } }], 'no_stream');
    expect((await vault.keyring(['s-cut'])).erased('s-cut')).toBe(false);

    expect(await shredder.shred('s-cut', admin, null)).toMatchObject({ outcome: 'shredded', eventId: null });
    expect((await vault.keyring(['s-cut'])).erased('s-cut')).toBe(true);
    expect(await shredder.shred('s-cut', admin, null)).toMatchObject({ outcome: 'already_shredded' });
    expect((await store.readStream(subjectStreamId('s-cut'))).map((e) => e.type)).toEqual([SUBJECT_SHREDDED]);
    await expect(vault.seal('s-cut', { name: '某甲' })).rejects.toMatchObject({ code: 'SUBJECT_ERASED' });
    await expect(shredder.shred('s-none', admin, null)).rejects.toMatchObject({ code: 'UNKNOWN_SUBJECT' });
  });
});

import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { generateSigningKey, hashAlgorithmFor, keyIdOf, type LedgerAlgorithm } from '@app/ledger';
import { runMigrations } from '@app/projections';
import { ManualClock, uuidv7 } from '@app/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { CheckpointRepository } from './checkpoint.repository';
import { CheckpointService } from './checkpoint.service';
import { VerificationService } from './verification.service';

interface Ledger {
  db: TestDatabase;
  store: PostgresEventStore;
  pool: Pool;
  verifier: VerificationService;
  checkpoints: CheckpointService;
  positions: Record<string, number[]>;
  close(): Promise<void>;
}

function event(n: number) {
  return {
    eventId: uuidv7(),
    type: 'audit.test-happened.v1',
    schemaVersion: 1,
    data: { n, text: `事件 ${n}` },
    metadata: { actor: { personId: 'p1', name: '王五', unitId: null, roles: ['office'] }, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: '2026-11-22T01:00:00.000Z' },
  };
}

/** Three interleaved streams of four events each, then a signed checkpoint. */
async function ledger(algorithm: LedgerAlgorithm = 'ed25519'): Promise<Ledger> {
  const db = await createTestDatabase('audit');
  await runMigrations(db.url);
  const clock = new ManualClock('2026-11-22T02:00:00.000Z');
  const store = new PostgresEventStore({ connectionString: db.url, hashAlgorithm: hashAlgorithmFor(algorithm), clock });
  const pool = new Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined); // the forced DROP DATABASE at teardown may kill an idle connection
  const repo = new CheckpointRepository(pool);
  const pair = generateSigningKey(algorithm);
  const key = { algorithm, keyId: keyIdOf(pair.publicKeyPem), ...pair };
  const positions: Record<string, number[]> = { a: [], b: [], c: [] };
  for (let i = 1; i <= 4; i += 1) {
    for (const s of ['a', 'b', 'c']) {
      const r = await store.append(`audit.s-${s}`, [event(i)], i - 1);
      positions[s]?.push(r.position);
    }
  }
  const checkpoints = new CheckpointService(store, repo, key, clock);
  await checkpoints.create();
  return {
    db, store, pool, positions, checkpoints,
    verifier: new VerificationService(store, repo, algorithm),
    async close() {
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
}

/** As a superuser who switched the immutability triggers off: what an insider could do. */
async function tamper(pool: Pool, sql: string, params: unknown[] = []): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('SET session_replication_role = replica');
    await c.query(sql, params);
  } finally {
    await c.query('RESET session_replication_role');
    c.release();
  }
}

describe('verification of the ledger', () => {
  let l: Ledger;
  afterEach(async () => l?.close());

  it.each(['ed25519', 'sm2'] as const)('finds an intact log intact, checkpoint included (%s)', async (alg) => {
    l = await ledger(alg);
    await l.store.append('audit.s-d', [event(9)], 'no_stream');
    const second = await l.checkpoints.create();
    expect(second.created).toBe(true);
    expect(second.checkpoint?.seq).toBe(2);
    expect(await l.verifier.verify()).toEqual({ ok: true, checkedEvents: 13, checkedCheckpoints: 2 });
  });

  it('names the exact position of a changed payload', async () => {
    l = await ledger();
    const target = l.positions.b?.[2] as number;
    await tamper(l.pool, `UPDATE events SET data = jsonb_set(data, '{n}', '42') WHERE position = $1`, [target]);
    const r = await l.verifier.verify();
    expect(r).toMatchObject({ ok: false, firstBad: { position: target, streamId: 'audit.s-b', reason: 'hash_mismatch' } });
  });

  it('names the exact position of a deleted event', async () => {
    l = await ledger();
    const target = l.positions.a?.[1] as number;
    await tamper(l.pool, `DELETE FROM events WHERE position = $1`, [target]);
    const r = await l.verifier.verify();
    expect(r).toMatchObject({ ok: false, firstBad: { position: target, streamId: 'audit.s-a', reason: 'missing_event' } });
  });

  it('names the exact position of a deleted first event of a stream', async () => {
    l = await ledger();
    const target = l.positions.b?.[0] as number;
    await tamper(l.pool, `DELETE FROM events WHERE position = $1`, [target]);
    expect(await l.verifier.verify()).toMatchObject({ ok: false, firstBad: { position: target, streamId: 'audit.s-b', reason: 'missing_event' } });
  });

  it('names the first position of a swapped (reordered) pair', async () => {
    l = await ledger();
    const [p, q] = [l.positions.a?.[2] as number, l.positions.c?.[1] as number];
    await tamper(l.pool, `UPDATE events SET position = -position WHERE position = $1`, [p]);
    await tamper(l.pool, `UPDATE events SET position = $1 WHERE position = $2`, [p, q]);
    await tamper(l.pool, `UPDATE events SET position = $1 WHERE position = $2`, [q, -p]);
    const r = await l.verifier.verify();
    expect(r.ok).toBe(false);
    expect(r.firstBad?.position).toBe(Math.min(p, q));
  });

  it('catches a deleted stream tail through the signed checkpoint', async () => {
    l = await ledger();
    const last = l.positions.c?.[3] as number;
    await tamper(l.pool, `DELETE FROM events WHERE position = $1`, [last]);
    const r = await l.verifier.verify();
    expect(r).toMatchObject({ ok: false, firstBad: { reason: 'checkpoint_mismatch' } });
  });

  it('catches a forged checkpoint', async () => {
    l = await ledger();
    await tamper(l.pool, `UPDATE ledger_checkpoints SET root_hash = repeat('0', 64)`);
    expect(await l.verifier.verify()).toMatchObject({ ok: false, firstBad: { reason: 'checkpoint_mismatch' } });
  });

  it('verifies one stream, and a range that starts mid-stream', async () => {
    l = await ledger();
    expect(await l.verifier.verify({ streamId: 'audit.s-b' })).toMatchObject({ ok: true, checkedEvents: 4 });
    const from = l.positions.a?.[1] as number;
    expect(await l.verifier.verify({ fromPosition: from })).toMatchObject({ ok: true, checkedEvents: 9 });
    await tamper(l.pool, `UPDATE events SET data = '{"n": 0}' WHERE position = $1`, [l.positions.c?.[3]]);
    expect(await l.verifier.verify({ fromPosition: from })).toMatchObject({ ok: false, firstBad: { position: l.positions.c?.[3] } });
  });

  it('does not sign a new checkpoint when the log has not grown', async () => {
    l = await ledger();
    const again = await l.checkpoints.create();
    expect(again).toMatchObject({ created: false, checkpoint: { seq: 1 } });
  });
});

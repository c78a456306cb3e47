import type { Pool } from 'pg';
import type { SignedCheckpoint } from '@app/ledger';

export type StoredCheckpoint = SignedCheckpoint & { publicKey: string };

interface CheckpointRow {
  seq: number;
  tree_size: number;
  last_position: number;
  root_hash: string;
  prev_checkpoint_hash: string | null;
  algorithm: SignedCheckpoint['algorithm'];
  key_id: string;
  public_key: string;
  created_at: Date;
  checkpoint_hash: string;
  signature: string;
}

function toCheckpoint(r: CheckpointRow): StoredCheckpoint {
  return {
    seq: r.seq,
    treeSize: Number(r.tree_size),
    lastPosition: Number(r.last_position),
    rootHash: r.root_hash,
    prevCheckpointHash: r.prev_checkpoint_hash,
    algorithm: r.algorithm,
    keyId: r.key_id,
    createdAt: new Date(r.created_at).toISOString(),
    checkpointHash: r.checkpoint_hash,
    signature: r.signature,
    publicKey: r.public_key,
  };
}

/** The append-only `ledger_checkpoints` table (created by the TypeORM migrations). */
export class CheckpointRepository {
  constructor(private readonly pool: Pool) {}

  async latest(): Promise<StoredCheckpoint | null> {
    const { rows } = await this.pool.query<CheckpointRow>('SELECT * FROM ledger_checkpoints ORDER BY seq DESC LIMIT 1');
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  async all(): Promise<StoredCheckpoint[]> {
    const { rows } = await this.pool.query<CheckpointRow>('SELECT * FROM ledger_checkpoints ORDER BY seq');
    return rows.map(toCheckpoint);
  }

  /** Fails on a duplicate seq: two processes checkpointing at once must not fork the chain. */
  /** False when another process took this sequence number first (several projectors checkpoint the same log). */
  async insert(cp: StoredCheckpoint): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ledger_checkpoints (seq, tree_size, last_position, root_hash, prev_checkpoint_hash, algorithm, key_id, public_key, created_at, checkpoint_hash, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (seq) DO NOTHING`,
      [cp.seq, cp.treeSize, cp.lastPosition, cp.rootHash, cp.prevCheckpointHash, cp.algorithm, cp.keyId, cp.publicKey, cp.createdAt, cp.checkpointHash, cp.signature],
    );
    return rowCount === 1;
  }
}

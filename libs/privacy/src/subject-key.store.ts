import type { Pool } from 'pg';

/** A data subject's key row: the wrapped key while it lives, null once shredded. */
export interface SubjectKeyRow {
  subjectId: string;
  wrappedKey: Buffer | null;
  createdAt: Date;
  shreddedAt: Date | null;
}

interface Row {
  subject_id: string;
  key: Buffer | null;
  created_at: Date;
  shredded_at: Date | null;
}

const toRow = (r: Row): SubjectKeyRow => ({ subjectId: r.subject_id, wrappedKey: r.key, createdAt: r.created_at, shreddedAt: r.shredded_at });

/**
 * pii_subject_keys: one wrapped key per data subject. Deliberately outside the event log: this is
 * the one place where destroying data is the point (crypto-shredding), so rows are updated here,
 * never in `events`.
 */
export class SubjectKeyStore {
  constructor(private readonly pool: Pool) {}

  /**
   * The subject's row, created with `wrappedKey` when the subject is new. One statement; a
   * concurrent creator of the same subject commits first at most once, so a second try finds it.
   */
  async findOrCreate(subjectId: string, wrappedKey: Buffer): Promise<SubjectKeyRow> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { rows } = await this.pool.query<Row>(
        `WITH created AS (INSERT INTO pii_subject_keys (subject_id, key) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING RETURNING *)
         SELECT * FROM created UNION ALL SELECT * FROM pii_subject_keys WHERE subject_id = $1`,
        [subjectId, wrappedKey],
      );
      const row = rows[0];
      if (row) return toRow(row);
    }
    throw new Error(`pii_subject_keys: subject ${subjectId} neither created nor found`);
  }

  /** The rows of the subjects given that exist. */
  async find(subjectIds: readonly string[]): Promise<Map<string, SubjectKeyRow>> {
    if (subjectIds.length === 0) return new Map();
    const { rows } = await this.pool.query<Row>('SELECT * FROM pii_subject_keys WHERE subject_id = ANY($1)', [[...new Set(subjectIds)]]);
    return new Map(rows.map((r) => [r.subject_id, toRow(r)]));
  }

  /** Some live subject's row (the most recent), for checking the master key at start; null when none. */
  async anyLive(): Promise<SubjectKeyRow | null> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM pii_subject_keys WHERE key IS NOT NULL ORDER BY created_at DESC LIMIT 1');
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Destroys the key bytes; the row stays as the tombstone saying when. Null when there was no live key. */
  async destroy(subjectId: string): Promise<SubjectKeyRow | null> {
    const { rows } = await this.pool.query<Row>('UPDATE pii_subject_keys SET key = NULL, shredded_at = now() WHERE subject_id = $1 AND key IS NOT NULL RETURNING *', [subjectId]);
    const row = rows[0];
    if (!row) return null;
    // The old row version still holds the wrapped key until vacuumed: reclaim it now, not some day.
    await this.pool.query('VACUUM pii_subject_keys');
    return toRow(row);
  }
}

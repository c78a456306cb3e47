import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { READ_MODELS } from '../read-models';

/**
 * How far the findings detector has read the log for trigger events. Shared by every process:
 * each moves it forward only (GREATEST), and a process that reads a stretch another already read
 * only re-derives findings that exist.
 */
@Injectable()
export class FindingsDetectorCursor {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async load(name: string): Promise<number> {
    const { rows } = await this.db.query<{ position: string }>(`SELECT position FROM findings_detector WHERE name = $1`, [name]);
    return Number(rows[0]?.position ?? 0);
  }

  async save(name: string, position: number): Promise<void> {
    await this.db.query(
      `INSERT INTO findings_detector (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = GREATEST(findings_detector.position, EXCLUDED.position)`,
      [name, position],
    );
  }
}

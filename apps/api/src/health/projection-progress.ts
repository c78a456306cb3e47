import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { EventStore } from '@app/event-store';
import { ProjectionRunner, READ_MODELS } from '@app/projections';
import type { ProjectionProgress } from './projection-stall';

/**
 * Where every projection stands, for readiness and /metrics. Positions are the greater of this
 * process's runner (ahead of its checkpoint rows by up to a skip's delay) and the checkpoint rows,
 * which are the only source when projector processes run them (PROJECTOR=off); a row's
 * `updated_at` moves only when its position does.
 */
@Injectable()
export class ProjectionProgressReader {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODELS) private readonly pool: Pool,
  ) {}

  /** With `waiting`, also when the first event each trailing projection has not applied was recorded (one read each). */
  async read(head: number, options: { waiting: boolean }): Promise<ProjectionProgress[]> {
    const names = this.runner.projections.map((p) => p.name);
    const { rows } = await this.pool.query<{ name: string; position: string; updated_at: Date }>('SELECT name, position, updated_at FROM projection_checkpoints WHERE name = ANY($1)', [names]);
    const stored = new Map(rows.map((r) => [r.name, r]));
    return Promise.all(
      names.map(async (name) => {
        const row = stored.get(name);
        const position = Math.max(this.runner.positionOf(name), Number(row?.position ?? 0));
        const waitingSince = options.waiting && position < head ? await this.firstUnapplied(position) : null;
        return { name, position, movedAt: row?.updated_at ?? null, waitingSince };
      }),
    );
  }

  private async firstUnapplied(position: number): Promise<Date | null> {
    const [next] = (await this.store.readAll({ fromPosition: position, limit: 1 })).events;
    return next ? new Date(next.recordedAt) : null;
  }
}

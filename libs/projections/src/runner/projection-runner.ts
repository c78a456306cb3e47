import type { Pool } from 'pg';
import type { EventStore, RecordedEvent, Subscription } from '@app/event-store';
import type { Projection } from './projection';
import { ProjectionOwnership } from './projection-ownership';

// Large enough that catching up (a rebuild, a projector restart) costs few transactions per event;
// live batches are small anyway.
const BATCH = 2000;
const RESTART_MS = 1000;
const SKIP_PERSIST_MS = 100;
const COALESCE_MS = 15;
/** The subscription (and error label) of the projections read together. */
const TOGETHER = 'projections';

export interface ProjectionRunnerOptions {
  /**
   * Share the projections with the other processes that run them on this database (apps/projector):
   * each follows only those it owns (see ProjectionOwnership). Without it, this process follows all.
   */
  share?: { connectionString: string; rebalanceMs?: number };
}

/**
 * Runs projections from the event store's global log. Each batch and the projection's checkpoint
 * are written in one transaction; the checkpoint row is locked first and events at or below it are
 * skipped, so a batch is applied exactly once even when two runners (two api processes) follow
 * the same projection.
 */
export class ProjectionRunner {
  private readonly positions = new Map<string, number>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly waiters = new Set<() => void>();
  private readonly skipTimers = new Map<string, NodeJS.Timeout>();
  private readonly detached = new Set<string>();
  private readonly typeSets = new Map<string, ReadonlySet<string>>();
  private stopped = false;
  private started = false;
  private readonly ownership: ProjectionOwnership | null;
  /** Serialises changes of who is followed (ownership changes, restarts of the shared read). */
  private regrouping: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    readonly projections: readonly Projection[],
    private readonly onError: (projection: string, error: unknown) => void = () => undefined,
    options: ProjectionRunnerOptions = {},
  ) {
    this.ownership = options.share
      ? new ProjectionOwnership(
          options.share.connectionString,
          projections.map((p) => p.name),
          { acquired: (names) => this.regroup(names, []), releasing: (names) => this.regroup([], names), lost: () => this.regroup([], this.projections.map((p) => p.name)) },
          (error) => this.onError('ownership', error),
          options.share.rebalanceMs,
        )
      : null;
  }

  async start(): Promise<void> {
    this.started = true;
    await this.readCheckpoints(this.projections.map((p) => p.name));
    if (this.ownership) await this.ownership.start();
    else this.followTogether();
  }

  /** The projections this process applies now: all of them, or those it owns when it shares them. */
  get owned(): readonly string[] {
    return this.projections.filter((p) => this.isOwned(p.name)).map((p) => p.name);
  }

  private isOwned(name: string): boolean {
    return this.ownership === null || this.ownership.current.has(name);
  }

  private async readCheckpoints(names: readonly string[]): Promise<void> {
    const { rows } = await this.pool.query<{ name: string; position: string }>(
      `INSERT INTO projection_checkpoints (name, position, updated_at) SELECT unnest($1::text[]), 0, now()
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING name, position`,
      [names],
    );
    rows.forEach((row) => this.advance(row.name, Number(row.position)));
  }

  /**
   * Ownership changed: the shared read stops (waiting for its batch in flight), released
   * projections persist where they skipped to and stop their own reads, acquired ones start from
   * their checkpoints as the previous owner left them, and the shared read starts again.
   */
  private regroup(acquired: readonly string[], released: readonly string[]): Promise<void> {
    const work = async (): Promise<void> => {
      await this.subscriptions.get(TOGETHER)?.stop();
      this.subscriptions.delete(TOGETHER);
      for (const name of released) {
        await this.subscriptions.get(name)?.stop();
        this.subscriptions.delete(name);
        this.detached.delete(name);
        const timer = this.skipTimers.get(name);
        if (timer) {
          clearTimeout(timer);
          this.skipTimers.delete(name);
          await this.persistSkip(name).catch((error: unknown) => this.onError(name, error));
        }
      }
      if (acquired.length > 0) await this.readCheckpoints(acquired);
      if (!this.stopped) this.followTogether();
    };
    this.regrouping = this.regrouping.then(work, work);
    return this.regrouping;
  }

  /** How far a projection has applied the log (0 before its first batch). */
  positionOf(name: string): number {
    return this.positions.get(name) ?? 0;
  }

  /** The least position reached by all projections: what a read of any read model reflects at least. */
  get position(): number {
    return Math.min(...this.projections.map((p) => this.positionOf(p.name)));
  }

  /**
   * Resolves true once every projection has reached `position`, false after `timeoutMs`. When
   * another process runs the projections (PROJECTOR=off), their checkpoints are polled instead.
   */
  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (!this.started) return this.pollCheckpoints(position, timeoutMs);
    if (this.position >= position) return true;
    return new Promise<boolean>((resolve) => {
      const check = (): void => {
        if (this.position < position) return;
        cleanup();
        resolve(true);
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(this.position >= position);
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Brings positions up to date: a no-op where the runner runs, a checkpoint read where it does not. */
  async refresh(): Promise<void> {
    if (!this.started) await this.pollCheckpoints(Number.MAX_SAFE_INTEGER, 0);
  }

  private async pollCheckpoints(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await this.pool.query<{ low: string | null; n: string }>(
        'SELECT min(position) AS low, count(*) AS n FROM projection_checkpoints WHERE name = ANY($1)',
        [this.projections.map((p) => p.name)],
      );
      const low = Number(rows[0]?.n) === this.projections.length ? Number(rows[0]?.low ?? 0) : 0;
      this.projections.forEach((p) => this.advance(p.name, low));
      if (low >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.regrouping.catch(() => undefined);
    await Promise.all([...this.subscriptions.values()].map((s) => s.stop()));
    this.subscriptions.clear();
    // Positions skipped ahead but not yet written: write them now, while the pool is open.
    const pending = [...this.skipTimers.keys()];
    this.skipTimers.forEach((timer) => clearTimeout(timer));
    this.skipTimers.clear();
    for (const name of pending) await this.persistSkip(name).catch((error: unknown) => this.onError(name, error));
    // Last: the locks go only once nothing of ours is in flight.
    await this.ownership?.stop();
  }

  private persistSkip(name: string): Promise<unknown> {
    return this.pool.query('UPDATE projection_checkpoints SET position = greatest(position, $2), updated_at = now() WHERE name = $1', [name, this.positionOf(name)]);
  }

  /**
   * One read of the log for all projections that are well: each wake-up costs one query however
   * many read models there are (one each was a measurable share of every write's cost). Each
   * projection still gets its own transaction and checkpoint, so one read model's bug rolls back
   * only its own batch; that projection then leaves the group and follows on its own.
   */
  private followTogether(): void {
    if (this.stopped || this.subscriptions.has(TOGETHER)) return;
    const group = this.group();
    if (group.length === 0) return;
    const types = group.some((p) => p.eventTypes.length === 0) ? [] : [...new Set(group.flatMap((p) => p.eventTypes))];
    const subscription: Subscription = this.store.subscribe({
      fromPosition: Math.min(...group.map((p) => this.positionOf(p.name))),
      types,
      batchSize: BATCH,
      // A few ms of latency buys one transaction for many appends instead of one for each.
      coalesceMs: COALESCE_MS,
      handler: (events, last) => this.dispatch(events, last),
      onError: (error) => {
        // The read itself failed (the database went away): every projection waits for it alike.
        this.onError(TOGETHER, error);
        if (this.subscriptions.get(TOGETHER) === subscription) this.subscriptions.delete(TOGETHER);
        setTimeout(() => this.followTogether(), RESTART_MS).unref();
      },
    });
    this.subscriptions.set(TOGETHER, subscription);
  }

  /** The projections read together: those owned that have not failed on their own. */
  private group(): Projection[] {
    return this.projections.filter((p) => this.isOwned(p.name) && !this.detached.has(p.name));
  }

  private async dispatch(events: RecordedEvent[], lastPosition: number): Promise<void> {
    const group = this.group();
    const results = await Promise.allSettled(group.map((p) => this.feed(p, events, lastPosition)));
    results.forEach((result, i) => {
      const projection = group[i] as Projection;
      if (result.status === 'fulfilled' || this.detached.has(projection.name)) return;
      this.onError(projection.name, result.reason);
      this.detached.add(projection.name);
      setTimeout(() => void this.follow(projection).catch((e: unknown) => this.onError(projection.name, e)), RESTART_MS).unref();
    });
  }

  /** The part of a shared batch that is new to this projection (it may be ahead of the group). */
  private feed(projection: Projection, events: RecordedEvent[], lastPosition: number): Promise<void> {
    const done = this.positionOf(projection.name);
    const wanted = this.typesOf(projection);
    const fresh = events.filter((e) => e.position > done && (wanted.size === 0 || wanted.has(e.type)));
    if (fresh.length > 0) return this.applyBatch(projection, fresh, lastPosition);
    if (lastPosition > done) this.skipAhead(projection.name, lastPosition);
    return Promise.resolve();
  }

  private typesOf(projection: Projection): ReadonlySet<string> {
    let types = this.typeSets.get(projection.name);
    if (!types) {
      types = new Set(projection.eventTypes);
      this.typeSets.set(projection.name, types);
    }
    return types;
  }

  /** A projection that failed in the group: from its checkpoint, alone, retrying until it works. */
  private async follow(projection: Projection): Promise<void> {
    // A restart scheduled before stop() must not touch a closed pool, nor one before the projection went to another process.
    if (this.stopped || !this.isOwned(projection.name) || !this.detached.has(projection.name)) return;
    const { rows } = await this.pool.query<{ position: string }>(
      `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, 0, now())
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING position`,
      [projection.name],
    );
    this.advance(projection.name, Number(rows[0]?.position ?? 0));
    if (this.stopped) return;
    this.subscriptions.set(
      projection.name,
      this.store.subscribe({
        fromPosition: this.positionOf(projection.name),
        types: [...projection.eventTypes],
        batchSize: BATCH,
        // A few ms of latency buys one transaction for many appends instead of one for each.
        coalesceMs: COALESCE_MS,
        handler: (events, last) => this.applyBatch(projection, events, last),
        onError: (error) => {
          this.onError(projection.name, error);
          this.subscriptions.delete(projection.name);
          // From the checkpoint again; the failed batch was rolled back.
          setTimeout(() => void this.follow(projection).catch((e: unknown) => this.onError(projection.name, e)), RESTART_MS).unref();
        },
      }),
    );
  }

  private async applyBatch(projection: Projection, events: RecordedEvent[], lastPosition: number): Promise<void> {
    if (events.length === 0) return this.skipAhead(projection.name, lastPosition);
    const client = await this.pool.connect();
    let done = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ position: string }>({ name: 'sl_checkpoint_lock', text: 'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE', values: [projection.name] });
      done = Number(rows[0]?.position ?? 0);
      const fresh = events.filter((e) => e.position > done);
      if (fresh.length > 0) await projection.apply(fresh, client);
      if (lastPosition > done) {
        await client.query({ name: 'sl_checkpoint_set', text: 'UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1', values: [projection.name, lastPosition] });
        done = lastPosition;
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    this.advance(projection.name, done);
  }

  /**
   * The log moved on with nothing for this projection (other contexts' events). Readers here see
   * the new position at once; the checkpoint row follows at most every SKIP_PERSIST_MS, because a
   * transaction per projection per append was a large share of the api's work on every write.
   */
  private skipAhead(name: string, position: number): void {
    this.advance(name, position);
    if (this.skipTimers.has(name)) return;
    const timer = setTimeout(() => {
      this.skipTimers.delete(name);
      void this.persistSkip(name).catch((error: unknown) => this.onError(name, error));
    }, SKIP_PERSIST_MS);
    timer.unref();
    this.skipTimers.set(name, timer);
  }

  private advance(name: string, position: number): void {
    if (position <= this.positionOf(name)) return;
    this.positions.set(name, position);
    this.waiters.forEach((check) => check());
  }
}

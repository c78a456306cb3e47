import { Client } from 'pg';

/** Advisory-lock key spaces (the two-int4 form): one for projector processes, one for projections. */
const MEMBER_CLASS = 0x534c_4d42; // "SLMB"
const PROJECTION_CLASS = 0x534c_5052; // "SLPR"
const REBALANCE_MS = 1000;
const RECONNECT_MS = 2000;

/** What the runner does when the set of projections this process owns changes. */
export interface OwnershipHooks {
  /** Start following these (their locks are held). */
  acquired(names: readonly string[]): Promise<void>;
  /** Stop following these and finish any batch in flight; their locks are released afterwards. */
  releasing(names: readonly string[]): Promise<void>;
  /** The lock connection broke: every lock is gone, stop following everything at once. */
  lost(error: unknown): Promise<void>;
}

/**
 * Shares projections among projector processes (DESIGN.md §4): each projection is owned by one
 * process at a time through a session advisory lock on a connection of its own, so a process that
 * dies (SIGKILL, lost network) drops its locks with its connection and the others take its
 * projections over at their next rebalance, within a few seconds. Every process holds a member lock
 * as well; counting those gives the fair share, ceil(projections / processes), and a process above
 * its share hands the surplus back so that a newcomer gets work.
 *
 * Ownership only spreads the work. Exactly-once does not rest on it: each batch still locks its
 * projection's checkpoint row in the batch's transaction, so an old owner's batch in flight and the
 * new owner's first batch cannot both apply the same events.
 */
export class ProjectionOwnership {
  private client: Client | null = null;
  private readonly owned = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly connectionString: string,
    private readonly names: readonly string[],
    private readonly hooks: OwnershipHooks,
    private readonly onError: (error: unknown) => void,
    private readonly rebalanceMs = REBALANCE_MS,
  ) {}

  /** The projections this process owns now. */
  get current(): ReadonlySet<string> {
    return this.owned;
  }

  async start(): Promise<void> {
    await this.connect();
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
    const client = this.client;
    this.client = null;
    // Ending the session releases every lock at once; the others take over at their next rebalance.
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: 'supervision-ledger projector' });
    client.on('error', (error) => void this.drop(client, error));
    await client.connect();
    // A member lock with a random second key: one per process, counted to work out the fair share.
    await client.query('SELECT pg_advisory_lock($1, $2)', [MEMBER_CLASS, Math.floor(Math.random() * 0x7fff_ffff)]);
    this.client = client;
  }

  /** The connection died with every lock on it: stop everything, then join again. */
  private async drop(client: Client, error: unknown): Promise<void> {
    if (this.client !== client) return;
    this.client = null;
    this.onError(error);
    const lost = [...this.owned];
    this.owned.clear();
    if (lost.length > 0) await this.hooks.lost(error).catch((e: unknown) => this.onError(e));
    client.end().catch(() => undefined);
    this.schedule(RECONNECT_MS);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  /** One rebalance at a time; the next is scheduled when this one ends. */
  private tick(): Promise<void> {
    this.running = this.running
      .then(() => this.rebalance())
      .catch((error: unknown) => this.onError(error))
      .finally(() => this.schedule(this.rebalanceMs));
    return this.running;
  }

  private async rebalance(): Promise<void> {
    if (this.stopped) return;
    if (!this.client) await this.connect();
    const client = this.client as Client;
    const share = Math.ceil(this.names.length / (await this.members(client)));
    if (this.owned.size > share) {
      // Hand back the surplus, last names first, so the kept set is stable from one tick to the next.
      const surplus = [...this.owned].sort().slice(share);
      await this.hooks.releasing(surplus);
      for (const name of surplus) {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [PROJECTION_CLASS, name]);
        this.owned.delete(name);
      }
      return;
    }
    const acquired: string[] = [];
    for (const name of this.names) {
      if (this.owned.size + acquired.length >= share) break;
      if (this.owned.has(name)) continue;
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [PROJECTION_CLASS, name]);
      if (rows[0]?.locked) acquired.push(name);
    }
    if (acquired.length === 0) return;
    acquired.forEach((name) => this.owned.add(name));
    try {
      await this.hooks.acquired(acquired);
    } catch (error) {
      // Not followed, so not held: another process (or the next tick) takes them.
      for (const name of acquired) {
        this.owned.delete(name);
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [PROJECTION_CLASS, name]);
      }
      throw error;
    }
  }

  /** Projector processes on this database: the sessions holding a member lock. */
  private async members(client: Client): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(DISTINCT pid) AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [MEMBER_CLASS],
    );
    return Math.max(1, Number(rows[0]?.n ?? 1));
  }
}

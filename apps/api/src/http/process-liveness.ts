import { Client } from 'pg';

/** Advisory-lock key space (two-int4 form) of live api processes. */
export const LIVE_CLASS = 0x534c_4150; // "SLAP"
const RECONNECT_MS = 1000;

/**
 * SQL that is true when the process named by a claim token (`<instance>:<uuid>`) no longer holds
 * its liveness lock: it died, and PostgreSQL dropped its session and with it the lock. `$token`
 * is replaced by the column or parameter holding the token.
 */
export const ownerGone = (token: string): string => `(${token} ~ '^[0-9]+:' AND NOT EXISTS (
  SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = ${LIVE_CLASS}::bigint::oid AND objsubid = 2
     AND objid = split_part(${token}, ':', 1)::bigint::oid AND database = (SELECT oid FROM pg_database WHERE datname = current_database())))`;

/**
 * This api process's liveness, as other processes on the same database can see it: a session
 * advisory lock on a connection of its own, held for the life of the process. A request's claim on
 * an Idempotency-Key carries the instance number, so a retry that finds the claim still pending can
 * tell a slow request (lock held: wait) from one whose process was killed (lock gone: take over now)
 * without waiting out a timeout.
 */
export class ProcessLiveness {
  /** Positive, so that it reads back unchanged through pg_locks' oid column. */
  readonly instance = 1 + Math.floor(Math.random() * 0x7fff_fffe);
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Resolves once the lock is held (or could not be taken: claims then fall back to the time-out). */
  ready(): Promise<void> {
    this.connecting ??= this.connect();
    return this.connecting;
  }

  /** A claim token naming this process, when its lock is held; otherwise one only the time-out can free. */
  token(unique: string): string {
    return this.client ? `${this.instance}:${unique}` : unique;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('error', (error) => {
      this.onError(error);
      this.client = null;
      client.end().catch(() => undefined);
      // Until it is back, our pending claims look orphaned to others; reconnect at once.
      if (!this.closed) setTimeout(() => void (this.connecting = this.connect()), RECONNECT_MS).unref();
    });
    try {
      await client.connect();
      await client.query('SELECT pg_advisory_lock($1, $2)', [LIVE_CLASS, this.instance]);
      this.client = client;
    } catch (error) {
      this.onError(error as Error);
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

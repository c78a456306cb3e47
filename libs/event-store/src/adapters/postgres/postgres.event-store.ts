import { createHash } from 'node:crypto';
import { Client, type Pool, type PoolClient, type QueryConfig } from 'pg';
import type { HashAlgorithm } from '@app/ledger';
import { type Clock, SystemClock } from '@app/shared-kernel';
import type { NewEvent, RecordedEvent } from '../../envelope';
import {
  EventStore, type AppendResult, type ExpectedVersion, type ReadAllOptions, type ReadAllPage, type ReadStreamOptions,
  type StreamHead, type SubscribeOptions, type Subscription,
} from '../../event-store.port';
import { PollingSubscription } from '../../polling-subscription';
import { UpcasterRegistry } from '../../upcasters';
import { InvalidAppendError } from '../../errors';
import { validateAppend } from '../../validate-append';
import { WakeSignal } from '../../wake-signal';
import type { AppendRequest } from './append-request';
import { takeBatch } from './group-commit';
import { writeBatch } from './postgres.append-batch';
import { createPool } from './postgres.pool';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type StoredEvent } from './postgres.rows';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Connections for appends and reads. */
  poolSize?: number;
  /** Group-commit transactions in flight at once; appends arriving meanwhile form the next batch. */
  maxBatchesInFlight?: number;
  /** Upper bound of events in one group-commit transaction. */
  maxBatchEvents?: number;
  hashAlgorithm?: HashAlgorithm;
  clock?: Clock;
  upcasters?: UpcasterRegistry;
  /** Fallback polling for subscriptions when no wake-up arrives. */
  pollIntervalMs?: number;
  /** LISTEN/NOTIFY between processes; notifications are coalesced to one per this many ms. */
  notifyCoalesceMs?: number;
}

const CHANNEL = 'sl_events';
const UNIQUE_VIOLATION = '23505';
/** Attempts of a batch that loses races with other processes; waits grow with jitter in between. */
const MAX_BATCH_ATTEMPTS = 8;
/** SQLSTATE class 22: the data itself was refused (bad JSON for jsonb, bad encoding, …). */
const DATA_EXCEPTION_CLASS = '22';
const UNDEFINED_FUNCTION = '42883';

/** Errors a caller can act on, instead of the driver's. */
function translate(error: unknown, alg: HashAlgorithm, alone: AppendRequest | undefined): unknown {
  const code = (error as { code?: string }).code;
  if (alone && code?.startsWith(DATA_EXCEPTION_CLASS)) {
    return new InvalidAppendError(`Stream ${alone.streamId}: the database refused the data (${(error as Error).message})`);
  }
  if (code === UNDEFINED_FUNCTION && alg === 'sm3') {
    return new Error('SM3 hashing (LEDGER_ALGORITHM=sm2) needs the pgcrypto extension in this database; install it or use ed25519');
  }
  return error;
}

export class PostgresEventStore extends EventStore {
  readonly pool: Pool;
  /** Connections of the group-commit pipeline only. */
  private readonly writers: Pool;
  private readonly alg: HashAlgorithm;
  private readonly clock: Clock;
  private readonly upcasters: UpcasterRegistry;
  private readonly wake = new WakeSignal();
  private readonly subscriptions = new Set<Subscription>();
  private queue: AppendRequest[] = [];
  private inFlight = 0;
  private inFlightRequests = 0;
  private readonly busyStreams = new Set<string>();
  private drained: (() => void) | null = null;
  private listener: Client | null = null;
  private notifyTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: PostgresEventStoreOptions) {
    super();
    this.pool = createPool(options.connectionString, options.poolSize ?? 10);
    this.writers = createPool(options.connectionString, this.maxInFlight, true);
    // Idle-client errors surface on the next query instead.
    this.pool.on('error', () => undefined);
    this.writers.on('error', () => undefined);
    this.alg = options.hashAlgorithm ?? 'sha256';
    this.clock = options.clock ?? new SystemClock();
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
  }

  private get maxInFlight(): number {
    return this.options.maxBatchesInFlight ?? 2;
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    try {
      validateAppend(streamId, events, expected);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      this.pump();
    });
  }

  /** Starts batches while there is room. */
  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const { batch, waiting } = takeBatch(this.queue, {
        inFlightRequests: this.inFlightRequests,
        maxBatches: this.maxInFlight,
        maxEvents: this.options.maxBatchEvents ?? 1000,
        busyStreams: this.busyStreams,
      });
      if (batch.length === 0) return;
      this.queue = waiting;
      this.inFlight += 1;
      this.inFlightRequests += batch.length;
      batch.forEach((r) => this.busyStreams.add(r.streamId));
      void this.runBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.inFlightRequests -= batch.length;
        batch.forEach((r) => this.busyStreams.delete(r.streamId));
        if (this.inFlight === 0 && this.queue.length === 0) this.drained?.();
        this.pump();
      });
    }
  }

  private async runBatch(batch: AppendRequest[]): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.writers.connect();
      for (let attempt = 1; ; attempt += 1) {
        try {
          const outcomes = await writeBatch(client, batch, this.alg, this.clock.now().toISOString());
          outcomes.forEach((o, i) => ('ok' in o ? batch[i]?.resolve(o.ok) : batch[i]?.reject(o.error)));
          this.afterCommit();
          return;
        } catch (error) {
          const code = (error as { code?: string }).code;
          // Another process took a version or an event id between our read and our insert; the
          // next attempt reads again. Jitter keeps two processes from colliding in step.
          if (code === UNIQUE_VIOLATION && attempt < MAX_BATCH_ATTEMPTS) {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
            continue;
          }
          // The database refused some request's data: find it by writing each request alone.
          if (code?.startsWith(DATA_EXCEPTION_CLASS) && batch.length > 1) {
            client.release(true);
            client = undefined;
            await Promise.all(batch.map((request) => this.runBatch([request])));
            return;
          }
          throw translate(error, this.alg, batch.length === 1 ? batch[0] : undefined);
        }
      }
    } catch (error) {
      // A broken session may still hold the position lock: never give it back to the pool.
      client?.release(true);
      client = undefined;
      batch.forEach((r) => r.reject(error));
    } finally {
      client?.release();
    }
  }

  private afterCommit(): void {
    this.wake.notify();
    if (this.notifyTimer || (this.options.notifyCoalesceMs ?? 20) < 0) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.pool.query(`SELECT pg_notify('${CHANNEL}', '')`).catch(() => undefined);
    }, this.options.notifyCoalesceMs ?? 20);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const params: unknown[] = [streamId, options.fromVersion ?? 1, options.toVersion ?? 2_147_483_647, options.limit ?? null];
    let asOf = '';
    if (options.recordedAsOf) {
      params.push(options.recordedAsOf.toISOString());
      asOf = `AND e.recorded_at <= $5`;
    }
    const { rows } = await this.pool.query<EventRow>(
      named(
        `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_id = $1 AND e.stream_version >= $2 AND e.stream_version <= $3 ${asOf}
       ORDER BY e.stream_version LIMIT $4`,
        params,
      ),
    );
    return this.map(rows, options.raw);
  }

  /**
   * Only rows written by transactions older than every open one (xid < snapshot xmin) are handed
   * out; see postgres.schema.ts for why that is a prefix of the position order. Protected so a
   * test can remove it and watch the gap test fail.
   */
  protected gapGuard(alias: string): string {
    return `${alias}.tx_id < pg_snapshot_xmin(pg_current_snapshot())`;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const from = options.fromPosition ?? 0;
    const to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    const limit = options.limit ?? 1000;
    const params: unknown[] = [from, to, limit];
    let filter = '';
    if (options.categories?.length) {
      params.push(options.categories);
      filter += ` AND e.category = ANY($${params.length}::text[])`;
    }
    if (options.types?.length) {
      params.push(options.types);
      filter += ` AND e.type = ANY($${params.length}::text[])`;
    }
    const { rows } = await this.pool.query<EventRow & { frontier: number | null; visible: number | null }>(
      named(
        `WITH page AS (
         SELECT ${EVENT_COLUMNS} FROM events e
         WHERE e.position > $1 AND e.position <= $2 AND ${this.gapGuard('e')}${filter}
         ORDER BY e.position LIMIT $3)
       SELECT f.frontier, f.visible, p.* FROM
         (SELECT (SELECT max(x.position) FROM events x WHERE x.position <= $2 AND ${this.gapGuard('x')}) AS frontier,
                 (SELECT max(y.position) FROM events y WHERE y.position <= $2) AS visible) f
         LEFT JOIN page p ON true
       ORDER BY p.position`,
        params,
      ),
    );
    const first = rows[0];
    const frontier = Math.max(from, first?.frontier ?? 0);
    const events = first?.position === null || first === undefined ? [] : this.map(rows, options.raw);
    const lastPosition = events.length >= limit ? (events[events.length - 1] as RecordedEvent).position : frontier;
    return { events, lastPosition, heldBack: (first?.visible ?? 0) > frontier };
  }

  async readEvents(eventIds: readonly string[], options: { raw?: boolean } = {}): Promise<RecordedEvent[]> {
    if (eventIds.length === 0) return [];
    const { rows } = await this.pool.query<EventRow>(named(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.event_id = ANY($1::uuid[]) ORDER BY e.position`, [[...new Set(eventIds)].filter((id) => UUID.test(id))]));
    return this.map(rows, options.raw);
  }

  async streamHead(streamId: string): Promise<StreamHead | null> {
    const { rows } = await this.pool.query<{ stream_version: number; position: number; hash: string }>(
      `SELECT stream_version, position, encode(hash, 'hex') AS hash FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`,
      [streamId],
    );
    const row = rows[0];
    return row ? { streamId, version: row.stream_version, position: row.position, hash: row.hash } : null;
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.pool.query<{ head: number | null }>(`SELECT max(e.position) AS head FROM events e WHERE ${this.gapGuard('e')}`);
    return rows[0]?.head ?? 0;
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.ensureListener();
    const subscription = new PollingSubscription((o) => this.readAll(o), this.wake, options, this.options.pollIntervalMs ?? 500);
    this.subscriptions.add(subscription);
    return {
      get position() {
        return subscription.position;
      },
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  /** Appends by other processes wake our subscribers through LISTEN; polling covers a lost connection. */
  private ensureListener(): void {
    if (this.listener || this.closed) return;
    const listener = new Client({ connectionString: this.options.connectionString });
    this.listener = listener;
    listener.on('notification', () => this.wake.notify());
    listener.on('error', () => {
      this.listener = null;
      listener.end().catch(() => undefined);
    });
    listener.connect().then(
      () => listener.query(`LISTEN ${CHANNEL}`),
      () => {
        this.listener = null;
      },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.inFlight > 0 || this.queue.length > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    }
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    await this.listener?.end().catch(() => undefined);
    await Promise.all([this.pool.end(), this.writers.end()]);
  }

  private map(rows: EventRow[], raw = false): StoredEvent[] {
    const events = rows.map(toRecordedEvent);
    return raw || this.upcasters.isEmpty ? events : events.map((e) => this.upcasters.apply(e) as StoredEvent);
  }
}

/**
 * A named statement, so each connection parses and plans it once: subscriptions read the log many
 * times a second, and planning these queries cost more than running them (measured). The name is
 * derived from the text, since the filters vary the text.
 */
/** Event ids are UUIDs in the table; anything else cannot name a stored event. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const statementNames = new Map<string, string>();
function named(text: string, values: unknown[]): QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) statementNames.set(text, (name = `sl_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
  return { name, text, values };
}

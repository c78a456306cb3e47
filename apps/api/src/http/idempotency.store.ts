import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ownerGone, ProcessLiveness } from './process-liveness';

/** What a request is, for telling a true repeat from a different request under the same key. */
export interface RequestFingerprint {
  methodPath: string;
  requestHash: string;
}

/** The first answer given under a key: replayed as it was. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** undefined when the handler answered with no body. */
  body: unknown;
}

export type Claim =
  /** `recovering`: an earlier attempt under the key stopped without answering (its process died). */
  | { kind: 'claimed'; token: string; recovering: boolean }
  | { kind: 'done'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

interface KeyRow {
  method_path: string;
  request_hash: string;
  state: 'pending' | 'done';
  status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  stale: boolean;
  orphaned: boolean;
  claim_token: string;
}

/** A pending key this old belongs to a process that died mid-request: no handler runs this long. */
const STALE_AFTER_SECONDS = 60;
/** Expired keys are deleted this often (each api process; the statement is idempotent). */
const PRUNE_EVERY_MS = 3_600_000;
/** How long a repeat waits for its twin in flight before answering 409. */
const WAIT_FOR_TWIN_MS = 5000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The idempotency_keys table. Each statement stands alone (autocommit): no transaction or
 * connection is held while the handler runs, so two connections serve any number of requests;
 * a repeat that finds its twin still in flight polls the row instead of blocking on a lock.
 * Times are compared with the database's now(), the one clock every api process shares.
 */
@Injectable()
export class IdempotencyStore implements OnApplicationShutdown {
  private readonly logger = new Logger('idempotency');
  private readonly pool: Pool;
  private readonly pruner: NodeJS.Timeout;
  private readonly liveness: ProcessLiveness;

  /**
   * `keepHours`: a key's first answer is replayed for this long (24 h by default, as payment APIs
   * do); after it the key is free again and the row is deleted. Retries come within seconds or
   * minutes, and a table that only grew would slow every claim.
   */
  constructor(
    url: string,
    private readonly keepHours = 24,
  ) {
    this.pool = new Pool({ connectionString: url, max: 2 });
    this.pool.on('error', (error) => this.logger.warn(`idle connection failed: ${error.message}`));
    this.liveness = new ProcessLiveness(url, (error) => this.logger.warn(`liveness lock: ${error.message}`));
    this.pruner = setInterval(() => void this.prune().catch((error: unknown) => this.logger.warn(`pruning expired keys failed: ${(error as Error).message}`)), PRUNE_EVERY_MS);
    this.pruner.unref();
  }

  /** Deletes answered keys older than the retention; returns how many. */
  async prune(): Promise<number> {
    const { rowCount } = await this.pool.query(`DELETE FROM idempotency_keys WHERE state = 'done' AND created_at < now() - make_interval(hours => $1)`, [this.keepHours]);
    return rowCount ?? 0;
  }

  /**
   * Claims the key for this request, or says why not: the same request is answered already
   * (replay it), is in flight elsewhere for longer than we wait, or the key was used for another request.
   */
  async claim(scope: string, key: string, request: RequestFingerprint): Promise<Claim> {
    const deadline = Date.now() + WAIT_FOR_TWIN_MS;
    await this.liveness.ready();
    for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
      const token = this.liveness.token(randomUUID());
      const inserted = await this.pool.query(
        // An answered key past its retention counts as unused: the claim takes its row over.
        `INSERT INTO idempotency_keys (scope, key, method_path, request_hash, claim_token) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (scope, key) DO UPDATE SET method_path = EXCLUDED.method_path, request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token,
           state = 'pending', status = NULL, response_headers = NULL, response_body = NULL, created_at = now(), completed_at = NULL
         WHERE idempotency_keys.state = 'done' AND idempotency_keys.created_at < now() - make_interval(hours => $6)`,
        [scope, key, request.methodPath, request.requestHash, token, this.keepHours],
      );
      if (inserted.rowCount === 1) return { kind: 'claimed', token, recovering: false };
      const { rows } = await this.pool.query<KeyRow>(
        `SELECT method_path, request_hash, state, status, response_headers, response_body::text AS response_body,
                created_at < now() - make_interval(secs => $3) AS stale, ${ownerGone('claim_token')} AS orphaned, claim_token
           FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key, STALE_AFTER_SECONDS],
      );
      const row = rows[0];
      // No row: the request holding the key failed and let go of it in between; claim it again at once.
      if (row) {
        if (row.method_path !== request.methodPath || row.request_hash !== request.requestHash) return { kind: 'mismatch' };
        if (row.state === 'done') {
          return { kind: 'done', response: { status: row.status ?? 200, headers: row.response_headers ?? {}, body: row.response_body === null ? undefined : (JSON.parse(row.response_body) as unknown) } };
        }
        if ((row.stale || row.orphaned) && (await this.takeOver(scope, key, row.claim_token, token))) return { kind: 'claimed', token, recovering: true };
      }
      if (Date.now() >= deadline) return { kind: 'in_progress' };
      if (row) await sleep(pause);
    }
  }

  /**
   * Only one of several processes finding the same abandoned row gets it: the UPDATE names the
   * claim it found, so a second taker (or the first holder, should it still finish) matches nothing.
   */
  private async takeOver(scope: string, key: string, abandoned: string, token: string): Promise<boolean> {
    const taken = await this.pool.query(
      `UPDATE idempotency_keys SET created_at = now(), claim_token = $4 WHERE scope = $1 AND key = $2 AND state = 'pending' AND claim_token = $3`,
      [scope, key, abandoned, token],
    );
    if (taken.rowCount === 1) this.logger.warn(`took over idempotency key ${JSON.stringify(key)} of ${scope}, left pending by a process that stopped`);
    return taken.rowCount === 1;
  }

  /**
   * complete and release touch only the claim this request holds (its token): a request presumed
   * dead whose key was taken over can neither overwrite nor drop the new holder's row.
   */
  async complete(scope: string, key: string, token: string, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `UPDATE idempotency_keys SET state = 'done', status = $4, response_headers = $5, response_body = $6, completed_at = now()
        WHERE scope = $1 AND key = $2 AND claim_token = $3 AND state = 'pending'`,
      [scope, key, token, response.status, JSON.stringify(response.headers), response.body === undefined ? null : JSON.stringify(response.body)],
    );
  }

  /** The request failed: forget the key, so that the client may retry with it. */
  async release(scope: string, key: string, token: string): Promise<void> {
    await this.pool.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND claim_token = $3 AND state = 'pending'`, [scope, key, token]);
  }

  /** After the HTTP server has stopped, so requests still in flight could finish their bookkeeping. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruner);
    await this.pool.end();
    await this.liveness.close();
  }
}

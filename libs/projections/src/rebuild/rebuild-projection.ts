import { randomBytes } from 'node:crypto';
import { escapeIdentifier as ident, escapeLiteral as literal, type Pool, type PoolClient } from 'pg';
import type { EventStore, RecordedEvent } from '@app/event-store';
import type { Projection } from '../runner/projection';

export interface RebuildProgress {
  projection: string;
  /** `replay`: a batch went into the fresh tables; `indexes`: secondary indexes are being built; `swap`: the fresh tables are being swapped in. */
  phase: 'replay' | 'indexes' | 'swap';
  /** How far the fresh tables have read the log. */
  position: number;
  /** Events applied to the fresh tables so far. */
  events: number;
}

export interface RebuildOptions {
  onProgress?: (progress: RebuildProgress) => void;
  /** Events read and applied per transaction; default 1000. */
  batchSize?: number;
  /**
   * How long the swap may wait for a lock (the live runner's batch, readers of the old tables)
   * before it rolls back and tries again; while it waits, new readers queue behind it. Default 5000.
   */
  lockTimeoutMs?: number;
  /** Swap attempts before the rebuild gives up, leaving the live model as it was; default 5. */
  swapAttempts?: number;
}

export interface RebuildResult {
  /** Events applied to the fresh tables. */
  events: number;
  /** The projection's checkpoint after the swap. */
  position: number;
  ms: number;
}

export class RebuildError extends Error {
  override readonly name = 'RebuildError';
}

/** The live table, its fresh copy, and what must be carried over to the copy after the replay. */
interface TablePlan {
  schema: string;
  live: string;
  fresh: string;
  owner: string;
  /** CREATE INDEX statements (with the live names) built after the replay: cheaper than maintaining them per row. */
  laterIndexes: string[];
  grants: string[];
}

const LOCK_NOT_AVAILABLE = '55P03';
const DEADLOCK_DETECTED = '40P01';
const UNDEFINED_TABLE = '42P01';

/**
 * Rebuilds one read model from position 0 while the api keeps serving it and the live runner keeps
 * following it (DESIGN.md §4): fresh copies of the projection's tables are built in a scratch
 * schema, then swapped in.
 *
 * - The fresh tables are `LIKE` the live ones, keeping the live names of constraints and indexes,
 *   so later migrations find them after the swap. Non-unique indexes are built after the replay;
 *   unique ones first, since `ON CONFLICT` needs them.
 * - The replay runs `projection.apply` unchanged, with `search_path` set to the scratch schema
 *   alone: the unqualified `rm_*` names resolve to the fresh tables, and a table missing from
 *   `projection.tables` fails the rebuild instead of being written live.
 * - The swap is one transaction that first locks the projection's checkpoint row, which the live
 *   runner locks before each batch: it applies the events up to the log head, replaces the live
 *   tables and sets the checkpoint to where the fresh ones are. The live runner, blocked meanwhile,
 *   then skips the events at or below that checkpoint and goes on from there on the new tables.
 * - On any failure the scratch schema is dropped and the live model is as it was. A rebuild killed
 *   outright leaves its schema behind (marked by a comment); the next rebuild of that projection drops it.
 */
export async function rebuildProjection(pool: Pool, store: EventStore, projection: Projection, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = performance.now();
  const limit = options.batchSize ?? 1000;
  const marker = `rebuild of ${projection.name}`;
  const scratch = ident(`rebuild_${randomBytes(6).toString('hex')}`);
  const client = await pool.connect();
  let events = 0;
  let position = 0;
  const progress = (phase: RebuildProgress['phase']): void => options.onProgress?.({ projection: projection.name, phase, position, events });

  /**
   * Passes up to the head as it was when each pass began, until a pass finds about one batch: the
   * swap then holds its locks for little more. When a pass finds no fewer events than the one
   * before, writers are outpacing the replay and more passes would not end; the swap takes the rest.
   */
  const catchUp = async (): Promise<void> => {
    for (let previous = Number.POSITIVE_INFINITY; ; ) {
      const head = await store.headPosition();
      const before = events;
      while (position < head) {
        const page = await store.readAll({ fromPosition: position, toPosition: head, types: [...projection.eventTypes], limit });
        if (page.events.length > 0) {
          await transaction(client, async () => {
            // A scratch commit lost in a crash only costs running the rebuild again.
            await client.query('SET LOCAL synchronous_commit TO off');
            await applyFresh(client, scratch, projection, page.events);
          });
          events += page.events.length;
        }
        if (page.events.length === 0 && page.lastPosition <= position) break;
        position = page.lastPosition;
        progress('replay');
      }
      const found = events - before;
      if (found <= limit || found >= previous) return;
      previous = found;
    }
  };

  try {
    // Session lock (released with the session): one rebuild per projection, and leftovers are safe to drop.
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [marker]);
    if (!rows[0]?.locked) throw new RebuildError(`${projection.name}: another rebuild of it is running`);
    await dropSchemas(client, marker);
    const tables = await prepare(client, scratch, marker, projection);
    await catchUp();
    progress('indexes');
    for (const table of tables) {
      for (const statement of table.laterIndexes) await client.query(statement);
      await client.query(`ANALYZE ${table.fresh}`);
    }
    await carryOverAccess(client, tables);
    for (let attempt = 1; ; attempt += 1) {
      // Closes the gap that grew meanwhile, so the swap holds its locks only for the last few events.
      await catchUp();
      progress('swap');
      try {
        const tail = await swap(client, store, projection, scratch, tables, position, limit, options.lockTimeoutMs ?? 5000);
        events += tail.events;
        position = tail.position;
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if ((code !== LOCK_NOT_AVAILABLE && code !== DEADLOCK_DETECTED) || attempt >= (options.swapAttempts ?? 5)) throw error;
      }
    }
    return { events, position, ms: performance.now() - started };
  } finally {
    const drop = `DROP SCHEMA IF EXISTS ${scratch} CASCADE`;
    await client.query(drop).catch(() => pool.query(drop)).catch(() => undefined);
    // Destroyed rather than returned: that ends the session and with it the advisory lock.
    client.release(true);
  }
}

async function transaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function applyFresh(client: PoolClient, scratch: string, projection: Projection, events: readonly RecordedEvent[]): Promise<void> {
  await client.query(`SELECT set_config('search_path', $1, true)`, [scratch]);
  try {
    await projection.apply(events, client);
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) {
      throw new RebuildError(`${projection.name}: ${(error as Error).message} during the rebuild; does the projection's \`tables\` list every table it writes?`);
    }
    throw error;
  }
}

async function dropSchemas(client: PoolClient, marker: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE obj_description(oid, 'pg_namespace') = $1`, [marker]);
  for (const { name } of rows) await client.query(`DROP SCHEMA ${ident(name)} CASCADE`);
}

/** Creates the scratch schema and an empty copy of each table, with its constraints and unique indexes. */
async function prepare(client: PoolClient, scratch: string, marker: string, projection: Projection): Promise<TablePlan[]> {
  const plans: TablePlan[] = [];
  await transaction(client, async () => {
    await client.query(`CREATE SCHEMA ${scratch}`);
    await client.query(`COMMENT ON SCHEMA ${scratch} IS ${literal(marker)}`);
    for (const table of projection.tables) {
      const { rows } = await client.query<{ oid: number; schema: string; owner: string; refused: string[] }>(
        `SELECT c.oid, n.nspname AS schema, pg_get_userbyid(c.relowner) AS owner,
                ARRAY(SELECT 'foreign key ' || conname FROM pg_constraint WHERE contype = 'f' AND c.oid IN (conrelid, confrelid)
                      UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = c.oid AND NOT tgisinternal) AS refused
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
        [ident(table)],
      );
      const found = rows[0];
      if (!found) throw new RebuildError(`${projection.name}: table ${table} does not exist; have the migrations run?`);
      // LIKE copies neither; a swap would silently lose them.
      if (found.refused.length > 0) throw new RebuildError(`${projection.name}: ${table} has a ${found.refused.join(', a ')}, which a rebuild cannot carry over`);
      const plan: TablePlan = { schema: found.schema, live: `${ident(found.schema)}.${ident(table)}`, fresh: `${scratch}.${ident(table)}`, owner: found.owner, laterIndexes: [], grants: [] };
      await client.query(`CREATE TABLE ${plan.fresh} (LIKE ${plan.live} INCLUDING ALL EXCLUDING INDEXES)`);
      const constraints = await client.query<{ name: string; def: string }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1 AND contype IN ('p', 'u', 'x') ORDER BY conname`,
        [found.oid],
      );
      for (const c of constraints.rows) await client.query(`ALTER TABLE ${plan.fresh} ADD CONSTRAINT ${ident(c.name)} ${c.def}`);
      const indexes = await client.query<{ name: string; unique: boolean; def: string }>(
        `SELECT x.relname AS name, i.indisunique AS unique, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
          WHERE i.indrelid = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
          ORDER BY x.relname`,
        [found.oid],
      );
      for (const index of indexes.rows) {
        // pg_get_indexdef: `CREATE [UNIQUE] INDEX <name> ON <schema>.<table> USING …`; keep the name, retarget the table.
        const statement = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${ident(index.name)} ON ${plan.fresh} ${index.def.slice(index.def.indexOf(' USING ') + 1)}`;
        if (index.unique) await client.query(statement);
        else plan.laterIndexes.push(statement);
      }
      const grants = await client.query<{ grantee: string; privilege: string }>(
        `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee, a.privilege_type AS privilege
           FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = $1 AND a.grantee <> c.relowner`,
        [found.oid],
      );
      plan.grants = grants.rows.map((g) => `GRANT ${g.privilege} ON ${plan.fresh} TO ${g.grantee}`);
      plans.push(plan);
    }
  });
  return plans;
}

/** The api may connect as another role than the CLI: the fresh tables get the live owner and grants. */
async function carryOverAccess(client: PoolClient, tables: readonly TablePlan[]): Promise<void> {
  const { rows } = await client.query<{ me: string }>('SELECT current_user AS me');
  for (const table of tables) {
    if (table.owner !== rows[0]?.me) await client.query(`ALTER TABLE ${table.fresh} OWNER TO ${ident(table.owner)}`);
    for (const grant of table.grants) await client.query(grant);
  }
}

async function swap(
  client: PoolClient,
  store: EventStore,
  projection: Projection,
  scratch: string,
  tables: readonly TablePlan[],
  from: number,
  limit: number,
  lockTimeoutMs: number,
): Promise<{ events: number; position: number }> {
  let position = from;
  let events = 0;
  await transaction(client, async () => {
    await client.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
    const { rows: paths } = await client.query<{ path: string }>(`SELECT current_setting('search_path') AS path`);
    await client.query(`INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, 0, now()) ON CONFLICT (name) DO NOTHING`, [projection.name]);
    const { rows } = await client.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [projection.name]);
    const live = Number(rows[0]?.position ?? 0);
    // Bounded: events appended from now on are the live runner's, after the swap.
    const head = Math.max(await store.headPosition(), live);
    while (position < head) {
      const page = await store.readAll({ fromPosition: position, toPosition: head, types: [...projection.eventTypes], limit });
      if (page.events.length > 0) await applyFresh(client, scratch, projection, page.events);
      events += page.events.length;
      if (page.events.length === 0 && page.lastPosition <= position) break;
      position = page.lastPosition;
    }
    // The live runner resumes its reads from its own checkpoint: the fresh tables must have reached it.
    if (position < live) throw new RebuildError(`${projection.name}: the log could be read only to ${position}, below the live checkpoint ${live}`);
    await client.query(`SELECT set_config('search_path', $1, true)`, [paths[0]?.path ?? 'public']);
    await client.query(`DROP TABLE ${tables.map((t) => t.live).join(', ')}`);
    for (const table of tables) await client.query(`ALTER TABLE ${table.fresh} SET SCHEMA ${ident(table.schema)}`);
    await client.query('UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [projection.name, position]);
  });
  return { events, position };
}

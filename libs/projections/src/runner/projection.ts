import type { RecordedEvent } from '@app/event-store';

/** The little of a database connection a projection writes through (the runner's transaction). */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  /** A named statement: parsed and planned once per connection. */
  query<Row = Record<string, unknown>>(statement: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
}

/**
 * A read model fed from the global log (DESIGN.md §4). `apply` runs inside the runner's
 * transaction, together with the checkpoint, and is only ever given events after it.
 */
export interface Projection {
  /** Checkpoint name; change it to rebuild the model from position 0. */
  readonly name: string;
  /** The event types it reads; the runner subscribes to these only. */
  readonly eventTypes: readonly string[];
  /**
   * The `rm_*` tables it alone writes, by unqualified name as `apply` writes them. A rebuild builds
   * fresh copies of exactly these and swaps them in, so a table left out would not be rebuilt.
   */
  readonly tables: readonly string[];
  apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void>;
}

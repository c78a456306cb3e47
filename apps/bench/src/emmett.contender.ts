import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import type { Contender } from './contender';
import type { BenchEvent, StreamCursor } from './workload';

/** Emmett's PostgreSQL event store with its default options (its own pg pool, its own schema). */
export class EmmettContender implements Contender {
  readonly name = 'emmett';
  private store: PostgresEventStore | null = null;

  async setup(connectionString: string): Promise<void> {
    this.store = getPostgreSQLEventStore(connectionString);
    // Creates its tables and functions now rather than inside the first measured append.
    await this.store.schema.migrate();
  }

  async appendOne(writer: number, stream: StreamCursor, event: BenchEvent): Promise<void> {
    await this.appendMany(writer, stream, [event]);
  }

  async appendMany(_writer: number, stream: StreamCursor, events: BenchEvent[]): Promise<void> {
    const store = this.store;
    if (!store) throw new Error('emmett contender is not set up');
    await store.appendToStream(
      stream.streamId,
      events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata })),
      { expectedStreamVersion: stream.version === 0 ? STREAM_DOES_NOT_EXIST : BigInt(stream.version) },
    );
  }

  async teardown(): Promise<void> {
    await this.store?.close();
    this.store = null;
  }
}

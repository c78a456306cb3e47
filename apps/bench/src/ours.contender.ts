import { EVENT_STORE_DDL, PostgresEventStore } from '@app/event-store';
import type { LogContender } from './contender';
import { countRows, settle, withClient } from './database';
import { runConcurrently, StreamCursor, type BenchEvent, type PayloadPool } from './workload';

const FILL_BATCH = 1000;
/** Appends in flight while filling: enough to keep the store's group-commit pipeline busy. */
const FILL_WRITERS = 3;

/** Our event store through its public API, with its default options (hash chain on). */
export class OursContender implements LogContender {
  readonly name = 'ours';
  private url = '';
  private store: PostgresEventStore | null = null;

  async setup(connectionString: string): Promise<void> {
    this.url = connectionString;
    await withClient(connectionString, async (c) => {
      for (const sql of EVENT_STORE_DDL) await c.query(sql);
    });
    this.store = new PostgresEventStore({ connectionString });
  }

  async appendOne(writer: number, stream: StreamCursor, event: BenchEvent): Promise<void> {
    await this.appendMany(writer, stream, [event]);
  }

  async appendMany(_writer: number, stream: StreamCursor, events: BenchEvent[]): Promise<void> {
    await this.open().append(stream.streamId, events, stream.version === 0 ? 'no_stream' : stream.version);
  }

  /** Through `append` with 1000-event batches, one new stream each, so every hash chain is real. */
  async fill(total: number, payloads: PayloadPool, progress: (events: number) => void): Promise<void> {
    const store = this.open();
    let reserved = await this.count();
    let done = 0;
    await runConcurrently(FILL_WRITERS, async () => {
      const n = Math.min(FILL_BATCH, total - reserved);
      if (n <= 0) return false;
      reserved += n;
      await store.append(new StreamCursor(n + 1).streamId, payloads.events(n), 'no_stream');
      done += n;
      progress(done);
      return true;
    });
    await settle(this.url, 'events');
  }

  count(): Promise<number> {
    return countRows(this.url, 'events');
  }

  async readAllPages(pageSize: number): Promise<number> {
    const store = this.open();
    let from = 0;
    let read = 0;
    for (;;) {
      const page = await store.readAll({ fromPosition: from, limit: pageSize });
      if (page.events.length === 0) return read;
      if (page.lastPosition <= from) throw new Error(`readAll did not advance past position ${from}`);
      read += page.events.length;
      from = page.lastPosition;
    }
  }

  async teardown(): Promise<void> {
    await this.store?.close();
    this.store = null;
  }

  private open(): PostgresEventStore {
    if (!this.store) throw new Error('ours contender is not set up');
    return this.store;
  }
}

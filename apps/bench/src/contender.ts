import type { BenchEvent, PayloadPool, StreamCursor } from './workload';

export type ContenderName = 'raw' | 'emmett' | 'ours';

/** What every contender offers to the append benchmarks. */
export interface Contender {
  readonly name: ContenderName;
  /** Prepares its schema in `connectionString`, a fresh database of its own. */
  setup(connectionString: string): Promise<void>;
  /** Appends one event at the cursor's next version; `writer` picks the writer's own connection where there is one. */
  appendOne(writer: number, stream: StreamCursor, event: BenchEvent): Promise<void>;
  /** Appends events as one call (one statement for raw) at the cursor's next versions. */
  appendMany(writer: number, stream: StreamCursor, events: BenchEvent[]): Promise<void>;
  teardown(): Promise<void>;
}

/** Contenders that are also measured on reading the whole log. */
export interface LogContender extends Contender {
  /** Appends as fast as it can until the log holds `total` events; reports progress in events. */
  fill(total: number, payloads: PayloadPool, progress: (events: number) => void): Promise<void>;
  /** Events in the log. */
  count(): Promise<number>;
  /** Reads the whole log from the start in pages of `pageSize`; resolves to the events read. */
  readAllPages(pageSize: number): Promise<number>;
}

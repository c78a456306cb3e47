/** Who caused an event. The system clock acts as `{ personId: 'system' }`. */
export interface Actor {
  personId: string;
  name: string;
  unitId: string | null;
  roles: string[];
}

export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  requestId: string | null;
  /** Business time: when it happened, which may be earlier than when it was recorded. ISO 8601 UTC. */
  occurredAt: string;
  /**
   * The request's Idempotency-Key, hashed with its caller (never the key itself): a retry after a
   * crash finds the events its first attempt wrote and answers from them instead of writing again.
   */
  idempotencyKey?: string;
}

/** An event as handed to `append`. `type` is a stable wire name such as `supervision.task-issued.v1`. */
export interface NewEvent<T = unknown> {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: T;
  metadata: EventMetadata;
}

/** An event as stored: the full envelope of DESIGN.md §3.6 plus its hash-chain links. */
export interface RecordedEvent<T = unknown> extends NewEvent<T> {
  streamId: string;
  /** 1 for the first event of a stream. */
  streamVersion: number;
  /** Global log position; strictly increasing along the gap-safe log, not necessarily contiguous. */
  position: number;
  /** Server time of recording, ISO 8601 UTC. */
  recordedAt: string;
  /** Hex digest of this event; covers `prevHash` and the canonical envelope. */
  hash: string;
  /** Hex digest of the previous event of the same stream; null for the first. */
  prevHash: string | null;
}

/** `<context>.<aggregate>-<id>` → `<context>.<aggregate>` */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

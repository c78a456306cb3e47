import { DomainError, fold, uuidv7, type Clock, type Decider, type DomainEvent } from '@app/shared-kernel';
import type { Actor, NewEvent, RecordedEvent } from './envelope';
import { ConcurrencyError, DuplicateEventError } from './errors';
import type { EventStore } from './event-store.port';

/** Who asks, and how the request ties into the rest of the history. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  requestId: string | null;
  /** The client's If-Match: the version it last saw. A different current version is a 412. */
  ifMatch?: number;
  /** Business time, when earlier than now (e.g. an offline report); default now. */
  occurredAt?: Date;
  /**
   * Ids derived from what the events mean instead of fresh UUIDv7s: processes racing to record the
   * same fact (a deadline reached) then write the same ids, and a retried append is idempotent.
   */
  eventIds?: (event: DomainEvent, index: number) => string;
  /** Decide but record nothing: checks a step of a multi-stream use case before any step is written. */
  dryRun?: boolean;
  /**
   * The request's Idempotency-Key (hashed with its caller), written into each event's metadata.
   * `recovering`: an earlier attempt under this key stopped without an answer (its process died),
   * so each stream is first searched for the events it may have written; found, they are the answer.
   */
  idempotency?: { tag: string; recovering: boolean };
}

export interface CommandResult<Event extends DomainEvent> {
  streamId: string;
  /** The stream's version after the command (unchanged when it decided nothing). */
  version: number;
  /** The global position of the last event written, or of the stream's head when nothing was. */
  position: number;
  events: Event[];
}

/** Conflicts with concurrent writers are re-decided on fresh state this many times. */
const ATTEMPTS = 5;

interface Folded<State> {
  version: number;
  position: number;
  state: State;
}

/**
 * The last state this process wrote to each stream, so that the common case (this process is the
 * stream's only recent writer) decides without reading the stream back. It is only a guess: an
 * append with its version as the expected version proves it current, and any other outcome (a
 * conflict, a refusal, nothing decided) is settled again on the stream as read from the store, so a
 * stale entry can cost a retry but never a wrong answer.
 */
export class StateCache {
  private readonly byDecider = new WeakMap<object, Map<string, Folded<unknown>>>();
  private size = 0;

  constructor(private readonly limit = 10_000) {}

  get<State>(decider: object, streamId: string): Folded<State> | undefined {
    return this.byDecider.get(decider)?.get(streamId) as Folded<State> | undefined;
  }

  set<State>(decider: object, streamId: string, folded: Folded<State>): void {
    let streams = this.byDecider.get(decider);
    if (!streams) this.byDecider.set(decider, (streams = new Map()));
    if (!streams.has(streamId)) this.size += 1;
    if (this.size > this.limit) {
      // Oldest first: Map keeps insertion order, and a write re-inserts its stream at the end.
      const oldest = streams.keys().next().value;
      if (oldest !== undefined) this.forget(decider, oldest);
    }
    streams.delete(streamId);
    streams.set(streamId, folded as Folded<unknown>);
  }

  forget(decider: object, streamId: string): void {
    if (this.byDecider.get(decider)?.delete(streamId)) this.size -= 1;
  }
}

/**
 * The one way commands write (STYLE.md rule 2): load the stream, fold it, decide, append with the
 * expected version. A conflict is decided again on the new state unless the client pinned a
 * version with If-Match, in which case it gets 412; a conflict that keeps coming back is a 409.
 */
export async function runDecider<Command, Event extends DomainEvent, State>(
  store: EventStore,
  clock: Clock,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: CommandContext,
  cache?: StateCache,
): Promise<CommandResult<Event>> {
  if (context.idempotency?.recovering) {
    const written = await writtenBefore(store, streamId, context.idempotency.tag);
    if (written) return written as CommandResult<Event>;
  }
  let guess = context.ifMatch === undefined && context.dryRun !== true ? cache?.get<State>(decider, streamId) : undefined;
  for (let attempt = 1; ; attempt += 1) {
    const folded = guess ?? (await load(store, streamId, decider));
    const { version, state } = folded;
    if (context.ifMatch !== undefined && context.ifMatch !== version) {
      throw new DomainError('precondition_failed', 'VERSION_MISMATCH', `The resource is at version ${version}, not ${context.ifMatch}; read it again.`);
    }
    let events: Event[];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      if (guess === undefined) throw error;
      guess = undefined;
      attempt -= 1;
      continue;
    }
    if (events.length === 0 || context.dryRun === true) {
      if (guess !== undefined) {
        guess = undefined;
        attempt -= 1;
        continue;
      }
      return { streamId, version, position: folded.position, events };
    }
    const now = clock.now();
    try {
      const result = await store.append(streamId, events.map((e, i) => toNewEvent(e, context, now, context.eventIds?.(e, i))), version === 0 ? 'no_stream' : version);
      cache?.set(decider, streamId, { version: result.version, position: result.position, state: events.reduce((s, e) => decider.evolve(s, e), state) });
      return { streamId, version: result.version, position: result.position, events };
    } catch (error) {
      // A duplicate of a derived event id, decided on a cached state, means another process wrote
      // it first: the stream as stored decides again (it may owe nothing now). Without a guess it
      // is the caller's to handle.
      const staleDuplicate = error instanceof DuplicateEventError && guess !== undefined;
      if (!(error instanceof ConcurrencyError) && !staleDuplicate) throw error;
      cache?.forget(decider, streamId);
      if (guess !== undefined) {
        guess = undefined;
        attempt -= 1;
        continue;
      }
      if (context.ifMatch !== undefined) {
        throw new DomainError('precondition_failed', 'VERSION_MISMATCH', 'The resource changed while the request was handled; read it again.');
      }
      if (attempt >= ATTEMPTS) throw new DomainError('conflict', 'CONCURRENT_CHANGE', 'The resource keeps changing under this request; try again.');
    }
  }
}

async function load<Event extends DomainEvent, State>(store: EventStore, streamId: string, decider: Decider<unknown, Event, State>): Promise<Folded<State>> {
  const history = await store.readStream(streamId);
  const last = history[history.length - 1] as RecordedEvent | undefined;
  return { version: last?.streamVersion ?? 0, position: last?.position ?? 0, state: fold(decider, history.map((e) => ({ type: e.type, data: e.data }) as Event)) };
}

/**
 * What an earlier attempt under the same Idempotency-Key wrote to this stream, as the result it
 * would have answered with (the stream's version and position just after its last event), or null.
 */
async function writtenBefore(store: EventStore, streamId: string, tag: string): Promise<CommandResult<DomainEvent> | null> {
  const mine = (await store.readStream(streamId)).filter((e) => e.metadata.idempotencyKey === tag);
  const last = mine[mine.length - 1];
  if (!last) return null;
  return { streamId, version: last.streamVersion, position: last.position, events: mine.map((e) => ({ type: e.type, data: e.data }) as DomainEvent) };
}

function toNewEvent(event: DomainEvent, context: CommandContext, now: Date, eventId?: string): NewEvent {
  return {
    eventId: eventId ?? uuidv7(now.getTime()),
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: {
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      requestId: context.requestId,
      occurredAt: (context.occurredAt ?? now).toISOString(),
      ...(context.idempotency ? { idempotencyKey: context.idempotency.tag } : {}),
    },
  };
}

/** runDecider with the process's store and clock, for command handlers to inject. */
export class DeciderRunner {
  private readonly cache = new StateCache();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  run<Command, Event extends DomainEvent, State>(streamId: string, decider: Decider<Command, Event, State>, command: Command, context: CommandContext): Promise<CommandResult<Event>> {
    return runDecider(this.store, this.clock, streamId, decider, command, context, this.cache);
  }

  /** Whether a stream has any event (another aggregate a use case must find, e.g. a parent unit). */
  async exists(streamId: string): Promise<boolean> {
    return (await this.store.streamHead(streamId)) !== null;
  }
}

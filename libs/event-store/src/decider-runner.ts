import { DomainError, fold, uuidv7, type Clock, type Decider, type DomainEvent } from '@app/shared-kernel';
import type { Actor, NewEvent, RecordedEvent } from './envelope';
import { ConcurrencyError } from './errors';
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
): Promise<CommandResult<Event>> {
  for (let attempt = 1; ; attempt += 1) {
    const history = await store.readStream(streamId);
    const version = history.length === 0 ? 0 : (history[history.length - 1] as RecordedEvent).streamVersion;
    if (context.ifMatch !== undefined && context.ifMatch !== version) {
      throw new DomainError('precondition_failed', 'VERSION_MISMATCH', `The resource is at version ${version}, not ${context.ifMatch}; read it again.`);
    }
    const state = fold(decider, history.map((e) => ({ type: e.type, data: e.data }) as Event));
    const events = decider.decide(command, state);
    if (events.length === 0 || context.dryRun === true) {
      return { streamId, version, position: history[history.length - 1]?.position ?? 0, events };
    }
    const now = clock.now();
    try {
      const result = await store.append(streamId, events.map((e, i) => toNewEvent(e, context, now, context.eventIds?.(e, i))), version === 0 ? 'no_stream' : version);
      return { streamId, version: result.version, position: result.position, events };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      if (context.ifMatch !== undefined) {
        throw new DomainError('precondition_failed', 'VERSION_MISMATCH', 'The resource changed while the request was handled; read it again.');
      }
      if (attempt >= ATTEMPTS) throw new DomainError('conflict', 'CONCURRENT_CHANGE', 'The resource keeps changing under this request; try again.');
    }
  }
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
    },
  };
}

/** runDecider with the process's store and clock, for command handlers to inject. */
export class DeciderRunner {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  run<Command, Event extends DomainEvent, State>(streamId: string, decider: Decider<Command, Event, State>, command: Command, context: CommandContext): Promise<CommandResult<Event>> {
    return runDecider(this.store, this.clock, streamId, decider, command, context);
  }

  /** Whether a stream has any event (another aggregate a use case must find, e.g. a parent unit). */
  async exists(streamId: string): Promise<boolean> {
    return (await this.store.streamHead(streamId)) !== null;
  }
}

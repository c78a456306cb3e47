import type { ExpectedVersion } from './event-store.port';

/** The stream's version differed from what the caller expected. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** The stream's version when the append was refused; 0 when the stream does not exist. */
    readonly actualVersion: number,
  ) {
    super(`Stream ${streamId}: expected version ${String(expected)}, actual ${actualVersion}`);
  }
}

/** An event id that was already appended, but with other content or at another place. */
export class DuplicateEventError extends Error {
  override readonly name = 'DuplicateEventError';

  constructor(
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`Event ${eventId} was already appended with different content or position: ${reason}`);
  }
}

/** Input the store cannot accept at all (empty batch, bad stream id, …). */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}

import { NO_STREAM, START, type AppendExpectedRevision, type CurrentRevision, type Position, type ReadPosition } from '@eventstore/db-client';
import type { ExpectedVersion } from '../../event-store.port';

/**
 * Our stream versions are 1-based, EventStoreDB revisions 0-based (revision = version - 1).
 * `any` and `stream_exists` map to the client's constants; the store itself never sends them,
 * it sends the revision it chained the hashes to (see eventstoredb.append.ts).
 */
export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (typeof expected === 'number') return revisionAfterVersion(expected);
  return expected;
}

/** The expected revision that holds exactly when the stream is at `version` (0: absent). */
export function revisionAfterVersion(version: number): AppendExpectedRevision {
  return version === 0 ? NO_STREAM : BigInt(version - 1);
}

/** A WrongExpectedVersionError's current revision as our version; a negative revision also means "absent". */
export function versionOfRevision(current: CurrentRevision): number {
  if (current === NO_STREAM || current < 0n) return 0;
  return Number(current) + 1;
}

/**
 * Our global position is the `$all` commit position. Events appended over gRPC are committed
 * implicitly, one log record each, so commit = prepare = the record's own log position: unique and
 * increasing along `$all`, and enough to rebuild the full position for a read.
 */
export function positionToNumber(position: Position): number {
  const n = Number(position.commit);
  if (!Number.isSafeInteger(n)) throw new RangeError(`$all commit position ${position.commit} is beyond 2^53`);
  return n;
}

/** Where a `$all` read or subscription starts; 0 (nothing read yet) is the start of the log. */
export function toReadPosition(position: number): ReadPosition {
  if (position <= 0) return START;
  const at = BigInt(position);
  return { commit: at, prepare: at };
}

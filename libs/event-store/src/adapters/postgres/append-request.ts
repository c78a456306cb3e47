import type { NewEvent } from '../../envelope';
import type { AppendResult, ExpectedVersion } from '../../event-store.port';

/** One caller's append waiting in the group-commit queue. */
export interface AppendRequest {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedVersion;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export function expectationHolds(expected: ExpectedVersion, actualVersion: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actualVersion === 0;
    case 'stream_exists':
      return actualVersion > 0;
    default:
      return actualVersion === expected;
  }
}

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

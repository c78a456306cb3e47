import { StreamNotFoundError, type StreamingRead } from '@eventstore/db-client';

/**
 * Visits the items of a read in order until `visit` returns false. Stopping early cancels the
 * gRPC call: leaving the loop alone only destroys the client-side stream and would leave the
 * server streaming into it.
 */
export async function scan<E>(read: StreamingRead<E>, visit: (item: E) => boolean): Promise<void> {
  for await (const item of read) {
    if (!visit(item)) {
      await read.cancel();
      return;
    }
  }
}

/** Like `scan`, for a single stream: a stream that does not exist reads as empty. */
export async function scanStream<E>(read: StreamingRead<E>, visit: (item: E) => boolean): Promise<void> {
  try {
    await scan(read, visit);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
}

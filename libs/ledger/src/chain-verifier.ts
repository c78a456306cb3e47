import { computeEventHash } from './event-hash';
import { type HashAlgorithm } from './hash';

/** An event as read back for verification: the hashed envelope plus its stored hash links. */
export interface ChainEvent {
  eventId: string;
  streamId: string;
  streamVersion: number;
  position: number;
  prevPosition: number | null;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
  hash: string;
  prevHash: string | null;
}

export type BadReason = 'hash_mismatch' | 'broken_link' | 'missing_event' | 'position_order' | 'version_order';

export interface FirstBad {
  /** Where the problem is; for missing_event, the position of the event that is gone. */
  position: number;
  streamId: string;
  /** Null for missing_event: the missing event's id is not known. */
  eventId: string | null;
  reason: BadReason;
  detail: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Events fully verified before the first problem (all of them when ok). */
  checkedEvents: number;
  firstBad?: FirstBad;
}

/** The last verified event of a stream: what the next event of that stream must link to. */
export interface ChainAnchor {
  version: number;
  hash: string;
  position: number;
}

export interface VerifyChainsOptions {
  /** Last known event per stream BEFORE the range, for ranges that start mid-stream. */
  anchors?: Map<string, ChainAnchor>;
  /**
   * Default true: the position was known at write time and is covered by the hash.
   * False for EventStoreDB, where the position was hashed as null.
   */
  hashPositions?: boolean;
  /**
   * Inclusive start of the range that was read (default: the first event's position). A
   * predecessor at or after it must be in the data, so its absence is a missing_event; a
   * predecessor before it is outside the range. Pass the log's first position when verifying
   * the whole log so that a deleted first event of a stream is caught too.
   */
  fromPosition?: number;
}

/**
 * Verifies the per-stream hash chains of a slice of the log in one pass, in the order the
 * events were read (by position), and stops at the first problem met.
 *
 * A deleted event is noticed when its stream's next event arrives, so a missing_event can
 * name a position earlier than events already passed; a deleted last event of a stream has
 * no successor and is invisible here (the signed Merkle checkpoints cover that case).
 */
export function verifyChains(
  alg: HashAlgorithm,
  events: readonly ChainEvent[],
  options: VerifyChainsOptions = {},
): ChainVerification {
  const hashPositions = options.hashPositions ?? true;
  const fromPosition = options.fromPosition ?? events[0]?.position ?? 0;
  const last = new Map<string, ChainAnchor>(options.anchors ?? []);
  let previousPosition: number | null = null;

  for (let i = 0; i < events.length; i += 1) {
    const event = events[i] as ChainEvent;
    const bad =
      checkOrder(event, previousPosition) ??
      checkHash(alg, event, hashPositions) ??
      checkLink(event, last.get(event.streamId), fromPosition, hashPositions);
    if (bad) return { ok: false, checkedEvents: i, firstBad: bad };
    previousPosition = event.position;
    last.set(event.streamId, { version: event.streamVersion, hash: event.hash, position: event.position });
  }
  return { ok: true, checkedEvents: events.length };
}

function checkOrder(event: ChainEvent, previousPosition: number | null): FirstBad | null {
  if (!Number.isSafeInteger(event.position)) {
    return bad(event, 'position_order', `position ${String(event.position)} is not an integer`);
  }
  if (previousPosition !== null && event.position <= previousPosition) {
    return bad(event, 'position_order', `position ${event.position} follows position ${previousPosition}`);
  }
  return null;
}

function checkHash(alg: HashAlgorithm, event: ChainEvent, hashPositions: boolean): FirstBad | null {
  let expected: string;
  try {
    expected = computeEventHash(alg, { ...event, position: hashPositions ? event.position : null });
  } catch (error) {
    // A row that cannot even be hashed (malformed prevHash, wrong field types) is corrupt.
    return bad(event, 'hash_mismatch', `cannot recompute the hash: ${(error as Error).message}`);
  }
  if (expected !== event.hash) {
    return bad(event, 'hash_mismatch', `stored hash ${event.hash} but the content hashes to ${expected}`);
  }
  return null;
}

function checkLink(event: ChainEvent, previous: ChainAnchor | undefined, fromPosition: number, hashPositions: boolean): FirstBad | null {
  // EventStoreDB learns positions only after the write, so the second and later events of one
  // append cannot name their predecessor's position: there the hash link alone must hold.
  const prevPosition = !hashPositions && event.prevPosition === null && previous ? previous.position : event.prevPosition;
  if (prevPosition !== null && prevPosition >= event.position) {
    return bad(event, 'broken_link', `prevPosition ${prevPosition} is not before position ${event.position}`);
  }
  if (previous === undefined) return checkStreamStart(event, fromPosition, hashPositions);

  // The event names a predecessor after the last one we saw: that predecessor was removed.
  if (prevPosition !== null && prevPosition > previous.position) {
    return missing(event, prevPosition, `last seen v${previous.version} at ${previous.position}`);
  }
  if (prevPosition !== previous.position || event.prevHash !== previous.hash) {
    return bad(
      event,
      'broken_link',
      `links to position ${String(prevPosition)} hash ${String(event.prevHash)}, but the stream's ` +
        `previous event is at ${previous.position} with hash ${previous.hash}`,
    );
  }
  if (event.streamVersion !== previous.version + 1) {
    return bad(event, 'version_order', `version ${event.streamVersion} follows version ${previous.version}`);
  }
  return null;
}

/** First event of a stream seen in the range, with no anchor for it. */
function checkStreamStart(event: ChainEvent, fromPosition: number, hashPositions: boolean): FirstBad | null {
  const { prevPosition, prevHash, streamVersion } = event;
  if (streamVersion === 1) {
    if (prevHash !== null || prevPosition !== null) {
      return bad(event, 'broken_link', 'the first event of a stream must have no predecessor');
    }
    return null;
  }
  if (!Number.isSafeInteger(streamVersion) || streamVersion < 1) {
    return bad(event, 'version_order', `version ${String(streamVersion)} is not a positive integer`);
  }
  if (prevHash === null || (prevPosition === null && hashPositions)) {
    return bad(event, 'broken_link', `version ${streamVersion} has no link to a predecessor`);
  }
  if (prevPosition === null) {
    // Unknown predecessor position (EventStoreDB): missing only if the range starts at the log's start.
    return fromPosition <= 0 ? missing(event, event.position, 'its predecessor is not in the log') : null;
  }
  if (prevPosition >= fromPosition) {
    return missing(event, prevPosition, 'no earlier event of the stream in the range');
  }
  // The predecessor lies before the range and the caller gave no anchor: its links cannot be
  // checked here, so they are accepted as the stream's starting point. Callers verifying a
  // mid-log range pass anchors to close this gap.
  return null;
}

function missing(successor: ChainEvent, position: number, context: string): FirstBad {
  return {
    position,
    streamId: successor.streamId,
    eventId: null,
    reason: 'missing_event',
    detail:
      `event at ${position} is missing: v${successor.streamVersion} (${successor.eventId}) at ` +
      `${successor.position} links to it; ${context}`,
  };
}

function bad(event: ChainEvent, reason: BadReason, detail: string): FirstBad {
  return { position: event.position, streamId: event.streamId, eventId: event.eventId, reason, detail };
}

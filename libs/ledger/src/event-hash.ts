import { createHash, hash as oneShotHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import { HASH_BYTES, type HashAlgorithm, hashFromHex } from './hash';

/** The prevHash of a stream's first event, written out: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(HASH_BYTES * 2);

const GENESIS_BYTES = Buffer.alloc(HASH_BYTES);

export interface EventHashInput {
  /** Hex hash of the previous event in the same stream; null for the stream's first event. */
  prevHash: string | null;
  /** Global position of that previous event; null for the stream's first event. */
  prevPosition: number | null;
  eventId: string;
  streamId: string;
  streamVersion: number;
  /** Global position when known before writing (PostgreSQL); null when it is not (EventStoreDB). */
  position: number | null;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

/**
 * PERSISTED FORMAT — every stored event hash depends on it; never change it, add a new
 * hash version instead.
 *
 *   hash = lowercase hex of
 *     digest(alg, prevHashBytes || UTF-8(canonicalize({
 *       eventId, streamId, streamVersion, position, prevPosition,
 *       type, schemaVersion, data, metadata, recordedAt })))
 *
 * - prevHashBytes: the 32 raw bytes of prevHash, or 32 zero bytes (GENESIS_HASH) when null.
 * - canonicalize is RFC 8785 (JCS); keys therefore appear in sorted order, and a property
 *   whose value is undefined is left out (so undefined and "absent" hash alike; null does not).
 * - position and prevPosition are hashed as JSON numbers, or null when unknown. Hashing the
 *   position binds the event to its slot in the global log, so swapping rows is detected.
 */
export function computeEventHash(alg: HashAlgorithm, input: EventHashInput): string {
  checkShape(input);
  const prev = input.prevHash === null ? GENESIS_BYTES : hashFromHex(input.prevHash, 'prevHash');
  // Built in JCS key order only to save the sort; canonicalize sorts regardless.
  const body = canonicalize({
    data: input.data,
    eventId: input.eventId,
    metadata: input.metadata,
    position: input.position,
    prevPosition: input.prevPosition,
    recordedAt: input.recordedAt,
    schemaVersion: input.schemaVersion,
    streamId: input.streamId,
    streamVersion: input.streamVersion,
    type: input.type,
  });
  return hashPrefixed(alg, prev, body);
}

// One reusable buffer for prev || UTF-8(body): a one-shot crypto.hash over it is markedly
// cheaper than createHash().update().update().digest() on this hot path. Safe because it is
// filled and consumed synchronously.
let scratch = Buffer.allocUnsafe(16 * 1024);
// Rare huge events are hashed without the scratch buffer rather than growing it for good.
const MAX_SCRATCH = 256 * 1024;

function hashPrefixed(alg: HashAlgorithm, prev: Buffer, body: string): string {
  // A UTF-16 code unit never needs more than 3 UTF-8 bytes; size for the worst case, since
  // Buffer#write silently truncates when it runs out of room.
  const worstCase = HASH_BYTES + body.length * 3;
  if (worstCase > MAX_SCRATCH) return createHash(alg).update(prev).update(body, 'utf8').digest('hex');
  if (worstCase > scratch.length) scratch = Buffer.allocUnsafe(Math.min(MAX_SCRATCH, Math.max(worstCase, scratch.length * 2)));
  prev.copy(scratch, 0);
  const written = scratch.write(body, HASH_BYTES, 'utf8');
  return oneShotHash(alg, scratch.subarray(0, HASH_BYTES + written), 'hex');
}

/**
 * Runtime guard for the scalar fields. Rows read back from a database are where types lie
 * (pg returns BIGINT as a string and TIMESTAMPTZ as a Date); either would hash differently
 * from what was written, so fail loudly instead of reporting a false tamper.
 */
function checkShape(input: EventHashInput): void {
  // Plain ifs, not a table of tuples: this runs on every append.
  if (typeof input.eventId !== 'string') fail('eventId', 'a string');
  if (typeof input.streamId !== 'string') fail('streamId', 'a string');
  if (typeof input.type !== 'string') fail('type', 'a string');
  if (typeof input.recordedAt !== 'string') fail('recordedAt', 'a string');
  if (!Number.isSafeInteger(input.streamVersion)) fail('streamVersion', 'a safe integer');
  if (!Number.isSafeInteger(input.schemaVersion)) fail('schemaVersion', 'a safe integer');
  if (input.position !== null && !Number.isSafeInteger(input.position)) fail('position', 'a safe integer or null');
  if (input.prevPosition !== null && !Number.isSafeInteger(input.prevPosition)) {
    fail('prevPosition', 'a safe integer or null');
  }
}

function fail(field: string, expected: string): never {
  throw new TypeError(`computeEventHash: ${field} must be ${expected}`);
}

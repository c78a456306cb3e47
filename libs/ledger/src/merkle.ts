import { hash as oneShotHash } from 'node:crypto';
import { digest, HASH_BYTES, type HashAlgorithm, hashFromHex } from './hash';

/*
 * RFC 9162 §2.1 Merkle Tree Hash over the global log:
 *   MTH({}) = HASH(''), leaf = HASH(0x00 || data), node = HASH(0x01 || left || right),
 *   split at the largest power of two k < n. Proofs are in merkle-proofs.ts.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function emptyRoot(alg: HashAlgorithm): Buffer {
  return digest(alg);
}

export function leafHash(alg: HashAlgorithm, data: Buffer | Uint8Array): Buffer {
  return digest(alg, LEAF_PREFIX, data);
}

export function nodeHash(alg: HashAlgorithm, left: Buffer, right: Buffer): Buffer {
  return digest(alg, NODE_PREFIX, left, right);
}

/** Leaf data of a log event: be64(position) || the 32 raw bytes of its event hash. */
export function eventLeafData(position: number, eventHashHex: string): Buffer {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`eventLeafData: position must be a non-negative safe integer, got ${position}`);
  }
  const data = Buffer.allocUnsafe(8 + HASH_BYTES);
  data.writeBigUInt64BE(BigInt(position), 0);
  hashFromHex(eventHashHex, 'event hash').copy(data, 8);
  return data;
}

export function eventLeafHash(alg: HashAlgorithm, position: number, eventHashHex: string): Buffer {
  return leafHash(alg, eventLeafData(position, eventHashHex));
}

export function merkleRoot(alg: HashAlgorithm, leafHashes: readonly Buffer[]): Buffer {
  return subtreeRoot(alg, leafHashes, 0, leafHashes.length);
}

/**
 * MTH(D[start:end]), computed level by level in one flat buffer. Pairing neighbours and
 * carrying an odd last node up unchanged builds exactly the RFC tree (whose left subtree is
 * always the largest perfect power of two), without recursion or sub-array copies.
 */
export function subtreeRoot(alg: HashAlgorithm, leaves: readonly Buffer[], start: number, end: number): Buffer {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end > leaves.length) {
    throw new RangeError(`subtreeRoot: need 0 <= start (${start}) <= end (${end}) <= ${leaves.length}`);
  }
  const count = end - start;
  if (count === 0) return emptyRoot(alg);
  // Byte and 32-bit views of one level buffer: children are copied into the hash input as
  // words, a measurable share of the time next to the hash itself.
  const levelBuffer = new ArrayBuffer(count * HASH_BYTES);
  const level = new Uint8Array(levelBuffer);
  const levelWords = new Uint32Array(levelBuffer);
  for (let i = 0; i < count; i += 1) {
    const leaf = leaves[start + i];
    if (!leaf || leaf.length !== HASH_BYTES) {
      throw new TypeError(`merkle: leaf hash ${start + i} is not ${HASH_BYTES} bytes`);
    }
    leaf.copy(level, i * HASH_BYTES);
  }
  // Node input 0x01 || left || right, laid out at byte 3 so the 64 child bytes start word-aligned.
  const inputBuffer = new ArrayBuffer(4 + 2 * HASH_BYTES);
  const inputWords = new Uint32Array(inputBuffer);
  new Uint8Array(inputBuffer)[3] = 0x01;
  const input = Buffer.from(inputBuffer, 3, 1 + 2 * HASH_BYTES);
  const WORDS = HASH_BYTES / 4;
  let width = count;
  while (width > 1) {
    const pairs = half(width);
    for (let i = 0; i < pairs; i += 1) {
      const from = 2 * i * WORDS;
      for (let w = 0; w < 2 * WORDS; w += 1) inputWords[1 + w] = levelWords[from + w] as number;
      // 'binary' (latin1) output is much cheaper than a Buffer per node; copy it back in place.
      const node = oneShotHash(alg, input, 'binary');
      const to = i * HASH_BYTES;
      for (let j = 0; j < HASH_BYTES; j += 1) level[to + j] = node.charCodeAt(j);
    }
    if (isOdd(width)) level.copyWithin(pairs * HASH_BYTES, (width - 1) * HASH_BYTES, width * HASH_BYTES);
    width = pairs + (width % 2);
  }
  return Buffer.from(level.subarray(0, HASH_BYTES));
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

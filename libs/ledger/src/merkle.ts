import { hash as oneShotHash } from 'node:crypto';
import { digest, HASH_BYTES, HashAlgorithm, hashFromHex } from './hash';

/*
 * RFC 9162 §2.1 Merkle Tree Hash over the global log:
 *   MTH({}) = HASH(''), leaf = HASH(0x00 || data), node = HASH(0x01 || left || right),
 *   split at the largest power of two k < n. Proofs follow §2.1.3 / §2.1.4 exactly, so any
 *   Certificate-Transparency-style verifier can check them.
 * Sizes and indices are plain numbers; arithmetic avoids 32-bit bit operators so they are
 * exact up to 2^53.
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
  return rangeRoot(alg, leafHashes, 0, leafHashes.length);
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]); costs O(n) hashes, as it rebuilds the sibling subtrees. */
export function inclusionProof(alg: HashAlgorithm, leafHashes: readonly Buffer[], index: number): Buffer[] {
  const n = leafHashes.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) {
    throw new RangeError(`inclusionProof: index ${index} is outside a tree of ${n} leaves`);
  }
  const proof: Buffer[] = [];
  // Descend from the root, collecting siblings root-first; the proof lists them leaf-first.
  let start = 0;
  let end = n;
  let m = index;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m < k) {
      proof.push(rangeRoot(alg, leafHashes, start + k, end));
      end = start + k;
    } else {
      proof.push(rangeRoot(alg, leafHashes, start, start + k));
      start += k;
      m -= k;
    }
  }
  return proof.reverse();
}

/** RFC 9162 §2.1.3.2. Never throws; any malformed input simply fails. */
export function verifyInclusion(
  alg: HashAlgorithm,
  leaf: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(alg, p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(alg, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) for 0 <= m <= n <= leafHashes.length; empty when m is 0 or n. */
export function consistencyProof(alg: HashAlgorithm, leafHashes: readonly Buffer[], m: number, n: number): Buffer[] {
  if (!isSize(m) || !isSize(n) || m > n || n > leafHashes.length) {
    throw new RangeError(`consistencyProof: need 0 <= m (${m}) <= n (${n}) <= ${leafHashes.length}`);
  }
  if (m === 0 || m === n) return [];
  // SUBPROOF(m, D[start:end], b), unrolled: each step appends one sibling, innermost last.
  const siblings: Buffer[] = [];
  let start = 0;
  let end = n;
  let size = m;
  let wholeTree = true;
  while (size !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (size <= k) {
      siblings.push(rangeRoot(alg, leafHashes, start + k, end));
      end = start + k;
    } else {
      siblings.push(rangeRoot(alg, leafHashes, start, start + k));
      start += k;
      size -= k;
      wholeTree = false;
    }
  }
  // SUBPROOF(m, D[m], true) = {}; with b false the old subtree's own root is needed.
  if (!wholeTree) siblings.push(rangeRoot(alg, leafHashes, start, end));
  return siblings.reverse();
}

/** RFC 9162 §2.1.4.2, plus the trivial cases m = n (equal roots) and m = 0. Never throws. */
export function verifyConsistency(
  alg: HashAlgorithm,
  m: number,
  n: number,
  rootM: Buffer,
  rootN: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isSize(m) || !isSize(n) || m > n) return false;
  if (!isHash(rootM) || !isHash(rootN) || !proof.every(isHash)) return false;
  if (m === 0) return proof.length === 0 && rootM.equals(emptyRoot(alg));
  if (m === n) return proof.length === 0 && rootM.equals(rootN);
  if (proof.length === 0) return false; // step 1
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof]; // step 2
  let fn = m - 1; // step 3
  let sn = n - 1;
  while (isOdd(fn)) {
    // step 4
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Buffer; // step 5
  let sr = fr;
  for (let i = 1; i < path.length; i += 1) {
    // step 6
    const c = path[i] as Buffer;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(alg, c, fr);
      sr = nodeHash(alg, c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(alg, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(rootM) && sr.equals(rootN) && sn === 0; // step 7
}

/**
 * MTH(D[start:end]) computed level by level in one flat buffer. Pairing neighbours and
 * carrying an odd last node up unchanged builds exactly the RFC tree (whose left subtree is
 * always the largest perfect power of two), without recursion or sub-array copies.
 */
function rangeRoot(alg: HashAlgorithm, leaves: readonly Buffer[], start: number, end: number): Buffer {
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

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);
const isSize = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;
const isHash = (b: unknown): b is Buffer => Buffer.isBuffer(b) && b.length === HASH_BYTES;

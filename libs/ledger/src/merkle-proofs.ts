import { HASH_BYTES, type HashAlgorithm } from './hash';
import { emptyRoot, nodeHash, subtreeRoot } from './merkle';

/*
 * RFC 9162 §2.1.3 (inclusion) and §2.1.4 (consistency) proofs, transcribed step by step so
 * that any Certificate-Transparency-style verifier can check ours and vice versa.
 * Sizes and indices are plain numbers; the arithmetic avoids 32-bit bit operators so it is
 * exact up to 2^53.
 */

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
      proof.push(subtreeRoot(alg, leafHashes, start + k, end));
      end = start + k;
    } else {
      proof.push(subtreeRoot(alg, leafHashes, start, start + k));
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
      siblings.push(subtreeRoot(alg, leafHashes, start + k, end));
      end = start + k;
    } else {
      siblings.push(subtreeRoot(alg, leafHashes, start, start + k));
      start += k;
      size -= k;
      wholeTree = false;
    }
  }
  // SUBPROOF(m, D[m], true) = {}; with b false the old subtree's own root is needed.
  if (!wholeTree) siblings.push(subtreeRoot(alg, leafHashes, start, end));
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

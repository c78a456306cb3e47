import fc from 'fast-check';
import { digest, type HashAlgorithm } from './hash';
import { emptyRoot, leafHash, merkleRoot } from './merkle';
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from './merkle-proofs';

// Straight transcriptions of RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1, recursion and slices included.
const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);
function refRoot(alg: HashAlgorithm, d: Buffer[]): Buffer {
  if (d.length === 0) return digest(alg);
  if (d.length === 1) return d[0] as Buffer;
  const split = k(d.length);
  return digest(alg, Buffer.from([1]), refRoot(alg, d.slice(0, split)), refRoot(alg, d.slice(split)));
}
function refPath(alg: HashAlgorithm, m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const split = k(d.length);
  return m < split
    ? [...refPath(alg, m, d.slice(0, split)), refRoot(alg, d.slice(split))]
    : [...refPath(alg, m - split, d.slice(split)), refRoot(alg, d.slice(0, split))];
}
function refSubproof(alg: HashAlgorithm, m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [refRoot(alg, d)];
  const split = k(d.length);
  return m <= split
    ? [...refSubproof(alg, m, d.slice(0, split), b), refRoot(alg, d.slice(split))]
    : [...refSubproof(alg, m - split, d.slice(split), false), refRoot(alg, d.slice(0, split))];
}

const leavesFor = (alg: HashAlgorithm, n: number): Buffer[] =>
  Array.from({ length: n }, (_, i) => leafHash(alg, Buffer.from(`event ${i}`)));

function flipped(b: Buffer, byte: number): Buffer {
  const copy = Buffer.from(b);
  copy[byte % copy.length] = (copy[byte % copy.length] as number) ^ 0x01;
  return copy;
}

describe('merkle proofs (RFC 9162 §2.1.3, §2.1.4)', () => {
  describe('inclusion proofs', () => {
    const alg = 'sha256';
    const leaves = leavesFor(alg, 40);
    const roots = Array.from({ length: 41 }, (_, n) => merkleRoot(alg, leaves.slice(0, n)));
    const rootOf = (n: number): Buffer => roots[n] as Buffer;

    it('are exactly PATH(m, D[n]) and verify for every leaf of sizes 1..33', () => {
      for (let n = 1; n <= 33; n += 1) {
        const tree = leaves.slice(0, n);
        const root = merkleRoot(alg, tree);
        for (let i = 0; i < n; i += 1) {
          const proof = inclusionProof(alg, tree, i);
          expect(proof).toEqual(refPath(alg, i, tree));
          expect(verifyInclusion(alg, tree[i] as Buffer, i, n, proof, root)).toBe(true);
        }
      }
    });

    it('fail for a flipped byte in any proof element, the leaf or the root, and for a wrong index or size', () => {
      for (let n = 1; n <= 33; n += 1) {
        const tree = leaves.slice(0, n);
        const root = merkleRoot(alg, tree);
        for (let i = 0; i < n; i += 1) {
          const proof = inclusionProof(alg, tree, i);
          const leaf = tree[i] as Buffer;
          proof.forEach((_, p) => {
            const bad = proof.map((e, q) => (q === p ? flipped(e, i * 7 + p) : e));
            expect(verifyInclusion(alg, leaf, i, n, bad, root)).toBe(false);
          });
          expect(verifyInclusion(alg, flipped(leaf, i), i, n, proof, root)).toBe(false);
          expect(verifyInclusion(alg, leaf, i, n, proof, flipped(root, n))).toBe(false);
          for (let j = 0; j <= n; j += 1) {
            if (j !== i) expect(verifyInclusion(alg, leaf, j, n, proof, root)).toBe(false);
          }
          for (let size = Math.max(1, n - 4); size <= n + 4; size += 1) {
            if (size !== n) expect(verifyInclusion(alg, leaf, i, size, proof, rootOf(size))).toBe(false);
          }
          expect(verifyInclusion(alg, leaf, i, n, [...proof, root], root)).toBe(false);
          if (proof.length > 0) expect(verifyInclusion(alg, leaf, i, n, proof.slice(1), root)).toBe(false);
        }
      }
    });

    it('fail for every single-byte flip of every element (exhaustive on one tree)', () => {
      const tree = leaves.slice(0, 13);
      const root = merkleRoot(alg, tree);
      for (let i = 0; i < tree.length; i += 1) {
        const proof = inclusionProof(alg, tree, i);
        for (let p = 0; p < proof.length; p += 1) {
          for (let byte = 0; byte < 32; byte += 1) {
            const bad = proof.map((e, q) => (q === p ? flipped(e, byte) : e));
            expect(verifyInclusion(alg, tree[i] as Buffer, i, 13, bad, root)).toBe(false);
          }
        }
      }
    });

    it('reject out-of-range arguments without throwing', () => {
      const tree = leaves.slice(0, 5);
      const root = merkleRoot(alg, tree);
      expect(() => inclusionProof(alg, tree, 5)).toThrow(RangeError);
      expect(verifyInclusion(alg, tree[0] as Buffer, -1, 5, [], root)).toBe(false);
      expect(verifyInclusion(alg, tree[0] as Buffer, 0, 0, [], root)).toBe(false);
      expect(verifyInclusion(alg, Buffer.alloc(3), 0, 5, [], root)).toBe(false);
      expect(verifyInclusion(alg, tree[0] as Buffer, 0, 1, [], tree[0] as Buffer)).toBe(true);
    });
  });

  describe('consistency proofs', () => {
    const alg = 'sm3';
    const leaves = leavesFor(alg, 33);
    const roots = Array.from({ length: 34 }, (_, n) => merkleRoot(alg, leaves.slice(0, n)));
    const rootOf = (n: number): Buffer => roots[n] as Buffer;

    it('are exactly PROOF(m, D[n]) and verify for all 1 <= m <= n <= 33', () => {
      for (let n = 1; n <= 33; n += 1) {
        for (let m = 1; m <= n; m += 1) {
          const proof = consistencyProof(alg, leaves, m, n);
          expect(proof).toEqual(m === n ? [] : refSubproof(alg, m, leaves.slice(0, n), true));
          expect(verifyConsistency(alg, m, n, rootOf(m), rootOf(n), proof)).toBe(true);
        }
      }
    });

    it('fail for a flipped byte in any proof element or either root, and for wrong sizes', () => {
      for (let n = 2; n <= 33; n += 1) {
        for (let m = 1; m < n; m += 1) {
          const proof = consistencyProof(alg, leaves, m, n);
          proof.forEach((_, p) => {
            const bad = proof.map((e, q) => (q === p ? flipped(e, m * 5 + p) : e));
            expect(verifyConsistency(alg, m, n, rootOf(m), rootOf(n), bad)).toBe(false);
          });
          expect(verifyConsistency(alg, m, n, flipped(rootOf(m), n), rootOf(n), proof)).toBe(false);
          expect(verifyConsistency(alg, m, n, rootOf(m), flipped(rootOf(n), m), proof)).toBe(false);
          for (let m2 = Math.max(1, m - 4); m2 <= Math.min(n, m + 4); m2 += 1) {
            if (m2 !== m) expect(verifyConsistency(alg, m2, n, rootOf(m2), rootOf(n), proof)).toBe(false);
          }
          for (let n2 = Math.max(m, n - 4); n2 <= Math.min(33, n + 4); n2 += 1) {
            if (n2 !== n) expect(verifyConsistency(alg, m, n2, rootOf(m), rootOf(n2), proof)).toBe(false);
          }
          expect(verifyConsistency(alg, m, n, rootOf(m), rootOf(n), [])).toBe(false);
          expect(verifyConsistency(alg, m, n, rootOf(m), rootOf(n), [...proof, rootOf(n)])).toBe(false);
        }
      }
    });

    it('handle the trivial cases m = n and m = 0', () => {
      expect(consistencyProof(alg, leaves, 7, 7)).toEqual([]);
      expect(verifyConsistency(alg, 7, 7, rootOf(7), rootOf(7), [])).toBe(true);
      expect(verifyConsistency(alg, 7, 7, rootOf(7), rootOf(8), [])).toBe(false);
      expect(verifyConsistency(alg, 7, 7, rootOf(7), rootOf(7), [rootOf(7)])).toBe(false);
      expect(consistencyProof(alg, leaves, 0, 9)).toEqual([]);
      expect(verifyConsistency(alg, 0, 9, emptyRoot(alg), rootOf(9), [])).toBe(true);
      expect(verifyConsistency(alg, 0, 9, rootOf(1), rootOf(9), [])).toBe(false);
      expect(verifyConsistency(alg, 9, 7, rootOf(9), rootOf(7), [])).toBe(false);
      expect(() => consistencyProof(alg, leaves, 5, 34)).toThrow(RangeError);
    });
  });

  it('property: random trees prove inclusion and consistency, and reject a different root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), (n, a, b) => {
        const tree = leavesFor('sha256', n);
        const root = merkleRoot('sha256', tree);
        const i = a % n;
        const m = 1 + (b % n);
        const inclusion = inclusionProof('sha256', tree, i);
        expect(verifyInclusion('sha256', tree[i] as Buffer, i, n, inclusion, root)).toBe(true);
        const rootM = merkleRoot('sha256', tree.slice(0, m));
        const consistency = consistencyProof('sha256', tree, m, n);
        expect(verifyConsistency('sha256', m, n, rootM, root, consistency)).toBe(true);
        expect(verifyConsistency('sha256', m, n, rootM, flipped(root, a), consistency)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

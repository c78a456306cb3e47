import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { digest, type HashAlgorithm } from './hash';
import {
  consistencyProof, emptyRoot, eventLeafData, eventLeafHash, inclusionProof, leafHash, merkleRoot, nodeHash,
  verifyConsistency, verifyInclusion,
} from './merkle';

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

describe('merkle (RFC 9162)', () => {
  it('matches the RFC 6962 / Certificate Transparency reference roots', () => {
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const leaves = inputs.map((hex) => leafHash('sha256', Buffer.from(hex, 'hex')));
    roots.forEach((root, i) => expect(merkleRoot('sha256', leaves.slice(0, i + 1)).toString('hex')).toBe(root));
    expect(merkleRoot('sha256', []).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it.each(['sha256', 'sm3'] as const)('computes roots for sizes 0..20 like the recursive definition (%s)', (alg) => {
    const leaves = leavesFor(alg, 20);
    for (let n = 0; n <= 20; n += 1) {
      expect(merkleRoot(alg, leaves.slice(0, n))).toEqual(refRoot(alg, leaves.slice(0, n)));
    }
    expect(merkleRoot(alg, [])).toEqual(emptyRoot(alg));
    expect(nodeHash(alg, leaves[0] as Buffer, leaves[1] as Buffer)).toEqual(merkleRoot(alg, leaves.slice(0, 2)));
  });

  it('builds leaves as HASH(0x00 || be64(position) || eventHash)', () => {
    const hash = 'ab'.repeat(32);
    const data = eventLeafData(258, hash);
    expect(data.toString('hex')).toBe(`0000000000000102${hash}`);
    expect(eventLeafData(Number.MAX_SAFE_INTEGER, hash).subarray(0, 8).toString('hex')).toBe('001fffffffffffff');
    expect(eventLeafHash('sm3', 258, hash)).toEqual(digest('sm3', Buffer.from([0]), data));
    expect(() => eventLeafData(-1, hash)).toThrow(RangeError);
    expect(() => eventLeafData(1.5, hash)).toThrow(RangeError);
    expect(() => eventLeafData(1, 'xyz')).toThrow(TypeError);
  });

  it('rejects leaf hashes of the wrong length', () => {
    expect(() => merkleRoot('sha256', [Buffer.alloc(32), Buffer.alloc(31)])).toThrow(/leaf hash 1/);
  });

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

  it('computes the root of 1,000,000 leaves quickly', () => {
    const pool = randomBytes(32 * 1_000_000);
    const leaves = Array.from({ length: 1_000_000 }, (_, i) => pool.subarray(i * 32, i * 32 + 32));
    const started = process.hrtime.bigint();
    const root = merkleRoot('sha256', leaves);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(root).toHaveLength(32);
    // Typically 0.5–1.5 s on a shared 2-vCPU box; the bound leaves room for a loaded CI
    // machine while still failing a naive recursive implementation.
    expect(ms).toBeLessThan(3000);
  });
});

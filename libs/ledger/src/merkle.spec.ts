import { randomBytes } from 'node:crypto';
import { digest, type HashAlgorithm } from './hash';
import { emptyRoot, eventLeafData, eventLeafHash, leafHash, merkleRoot, nodeHash, subtreeRoot } from './merkle';

// A straight transcription of RFC 9162 §2.1.1, recursion and slices included.
const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);
function refRoot(alg: HashAlgorithm, d: Buffer[]): Buffer {
  if (d.length === 0) return digest(alg);
  if (d.length === 1) return d[0] as Buffer;
  const split = k(d.length);
  return digest(alg, Buffer.from([1]), refRoot(alg, d.slice(0, split)), refRoot(alg, d.slice(split)));
}
const leavesFor = (alg: HashAlgorithm, n: number): Buffer[] =>
  Array.from({ length: n }, (_, i) => leafHash(alg, Buffer.from(`event ${i}`)));

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

  it('computes the root of any leaf range', () => {
    const leaves = leavesFor('sha256', 11);
    expect(subtreeRoot('sha256', leaves, 3, 10)).toEqual(refRoot('sha256', leaves.slice(3, 10)));
    expect(subtreeRoot('sha256', leaves, 4, 4)).toEqual(emptyRoot('sha256'));
    expect(() => subtreeRoot('sha256', leaves, 5, 4)).toThrow(RangeError);
    expect(() => subtreeRoot('sha256', leaves, 0, 12)).toThrow(RangeError);
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

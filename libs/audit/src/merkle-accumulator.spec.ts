import { createHash } from 'node:crypto';
import { merkleRoot } from '@app/ledger';
import { MerkleAccumulator } from './merkle-accumulator';

describe('MerkleAccumulator', () => {
  it('gives the same root as the full tree at every size from 0 to 70', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => createHash('sha256').update(`leaf-${i}`).digest());
    const acc = new MerkleAccumulator('sha256');
    expect(acc.root().equals(merkleRoot('sha256', []))).toBe(true);
    leaves.forEach((leaf, i) => {
      acc.push(leaf);
      expect(acc.size).toBe(i + 1);
      expect(acc.root().toString('hex')).toBe(merkleRoot('sha256', leaves.slice(0, i + 1)).toString('hex'));
    });
  });
});

import { createHash } from 'node:crypto';
import { inclusionProof, merkleRoot, verifyInclusion } from '@app/ledger';
import { PerfectSubtrees } from './inclusion-proof';

describe('PerfectSubtrees', () => {
  it('gives the ledger’s root and RFC 9162 paths at every size from 0 to 40', () => {
    const all = Array.from({ length: 40 }, (_, i) => createHash('sha256').update(`leaf-${i}`).digest());
    for (let n = 0; n <= all.length; n += 1) {
      const leaves = all.slice(0, n);
      const tree = new PerfectSubtrees('sha256', leaves);
      const root = merkleRoot('sha256', leaves);
      expect(tree.root().equals(root)).toBe(true);
      for (let i = 0; i < n; i += 1) {
        const path = tree.path(i);
        expect(path.map((h) => h.toString('hex'))).toEqual(inclusionProof('sha256', leaves, i).map((h) => h.toString('hex')));
        expect(verifyInclusion('sha256', leaves[i] as Buffer, i, n, path, root)).toBe(true);
      }
    }
  });
});

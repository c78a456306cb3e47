import { digest, type HashAlgorithm } from '@app/ledger';

const NODE_PREFIX = Buffer.from([1]);

/**
 * Streams leaves into an RFC 9162 tree and gives its root at the current size in O(log n):
 * the frontier holds the roots of the perfect subtrees the leaves so far decompose into
 * (largest first), and the root folds them from the right. One pass over the log thus checks
 * every checkpoint, instead of rebuilding a tree per checkpoint.
 */
export class MerkleAccumulator {
  private readonly frontier: { size: number; hash: Buffer }[] = [];
  private count = 0;

  constructor(private readonly alg: HashAlgorithm) {}

  get size(): number {
    return this.count;
  }

  push(leafHash: Buffer): void {
    let node = { size: 1, hash: leafHash };
    for (let top = this.frontier.at(-1); top && top.size === node.size; top = this.frontier.at(-1)) {
      this.frontier.pop();
      node = { size: top.size * 2, hash: digest(this.alg, NODE_PREFIX, top.hash, node.hash) };
    }
    this.frontier.push(node);
    this.count += 1;
  }

  root(): Buffer {
    if (this.frontier.length === 0) return digest(this.alg, '');
    let root = (this.frontier[this.frontier.length - 1] as { hash: Buffer }).hash;
    for (let i = this.frontier.length - 2; i >= 0; i -= 1) {
      root = digest(this.alg, NODE_PREFIX, (this.frontier[i] as { hash: Buffer }).hash, root);
    }
    return root;
  }
}

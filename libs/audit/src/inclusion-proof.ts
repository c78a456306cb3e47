import { emptyRoot, eventLeafHash, hashAlgorithmFor, nodeHash, type HashAlgorithm } from '@app/ledger';
import type { EventStore } from '@app/event-store';
import type { StoredCheckpoint } from './checkpoint.repository';
import { forEachLogPage } from './log-leaves';

/** RFC 9162 inclusion proof of one log event in a checkpoint's Merkle tree; hashes in hex. */
export interface InclusionProof {
  eventId: string;
  position: number;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  /** Sibling hashes, leaf first (RFC 9162 PATH). */
  auditPath: string[];
}

/**
 * The leaves of a checkpoint's tree, rebuilt from the log as it stands, so that proofs can be cut
 * for any of its events. `matchesCheckpoint` is false when the log no longer gives the signed root:
 * proofs cut from it will then not verify, which is exactly what a verifier must see.
 */
export class CheckpointTree {
  private readonly indexByPosition = new Map<number, number>();
  private readonly tree: PerfectSubtrees;

  private constructor(
    readonly checkpoint: StoredCheckpoint,
    alg: HashAlgorithm,
    leaves: Buffer[],
    positions: number[],
  ) {
    positions.forEach((p, i) => this.indexByPosition.set(p, i));
    this.tree = new PerfectSubtrees(alg, leaves);
  }

  /** Reads the log up to the checkpoint's last position: O(n) in the log, one pass. */
  static async build(store: EventStore, checkpoint: StoredCheckpoint): Promise<CheckpointTree> {
    const alg = hashAlgorithmFor(checkpoint.algorithm);
    const leaves: Buffer[] = [];
    const positions: number[] = [];
    await forEachLogPage(store, { fromPosition: 0, toPosition: checkpoint.lastPosition }, (events) => {
      for (const e of events) {
        leaves.push(eventLeafHash(alg, e.position, e.hash));
        positions.push(e.position);
      }
    });
    return new CheckpointTree(checkpoint, alg, leaves, positions);
  }

  get matchesCheckpoint(): boolean {
    return this.tree.size === this.checkpoint.treeSize && this.tree.root().toString('hex') === this.checkpoint.rootHash;
  }

  has(position: number): boolean {
    return this.indexByPosition.has(position);
  }

  /** The proof for the event at `position`; null when that position is not a leaf of this tree. */
  proof(eventId: string, position: number): InclusionProof | null {
    const leafIndex = this.indexByPosition.get(position);
    if (leafIndex === undefined) return null;
    return {
      eventId,
      position,
      leafIndex,
      treeSize: this.checkpoint.treeSize,
      leafHash: this.tree.leaf(leafIndex).toString('hex'),
      auditPath: this.tree.path(leafIndex).map((h) => h.toString('hex')),
    };
  }
}

/**
 * Every aligned perfect subtree root, level by level, built once in O(n) hashes: any RFC 9162
 * path is then O(log² n), where the ledger's `inclusionProof` rebuilds siblings in O(n) per proof
 * (too slow for a bundle proving hundreds of events in a large log).
 */
export class PerfectSubtrees {
  /** levels[j][i]: root of leaves [i·2^j, (i+1)·2^j). */
  private readonly levels: Buffer[][];

  constructor(
    private readonly alg: HashAlgorithm,
    leaves: Buffer[],
  ) {
    this.levels = [leaves];
    for (let level = leaves; level.length > 1; ) {
      const up: Buffer[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(alg, level[i] as Buffer, level[i + 1] as Buffer));
      this.levels.push(up);
      level = up;
    }
  }

  get size(): number {
    return (this.levels[0] as Buffer[]).length;
  }

  leaf(index: number): Buffer {
    return (this.levels[0] as Buffer[])[index] as Buffer;
  }

  root(): Buffer {
    return this.size === 0 ? emptyRoot(this.alg) : this.rootOf(0, this.size);
  }

  /** RFC 9162 PATH(m, D[n]), leaf first, as the ledger's verifyInclusion expects it. */
  path(index: number): Buffer[] {
    const proof: Buffer[] = [];
    let [start, end] = [0, this.size];
    while (end - start > 1) {
      const k = largestPowerOfTwoBelow(end - start);
      if (index - start < k) {
        proof.push(this.rootOf(start + k, end));
        end = start + k;
      } else {
        proof.push(this.rootOf(start, start + k));
        start += k;
      }
    }
    return proof.reverse();
  }

  /** MTH(D[start:end]) for a range whose start is aligned to a power of two at least its size. */
  private rootOf(start: number, end: number): Buffer {
    const count = end - start;
    if (isPowerOfTwo(count)) return (this.levels[Math.round(Math.log2(count))] as Buffer[])[start / count] as Buffer;
    const k = largestPowerOfTwoBelow(count);
    return nodeHash(this.alg, this.rootOf(start, start + k), this.rootOf(start + k, end));
  }
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

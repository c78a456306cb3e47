import { eventLeafHash, hashAlgorithmFor, sealDocument, signCheckpoint, type LedgerAlgorithm, type Seal } from '@app/ledger';
import type { EventStore } from '@app/event-store';
import type { Clock } from '@app/shared-kernel';
import type { CheckpointRepository, StoredCheckpoint } from './checkpoint.repository';
import { forEachLogPage } from './log-leaves';
import { MerkleAccumulator } from './merkle-accumulator';

export interface SigningKey {
  algorithm: LedgerAlgorithm;
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

/**
 * Signs a Merkle root over the gap-safe prefix of the global log, linked to the previous
 * checkpoint (DESIGN.md §3.8). Leaves are the events in position order.
 */
export class CheckpointService {
  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointRepository,
    private readonly key: SigningKey,
    private readonly clock: Clock,
  ) {}

  /** The ledger key's seal over a whole document it hands out (an evidence bundle, a bulletin). */
  seal(document: unknown): Seal {
    return sealDocument(this.key.algorithm, this.key.privateKeyPem, document);
  }

  /** The public half of the ledger key, which checks its seals and checkpoints (PEM). */
  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  /** Returns the new checkpoint, or the latest one when the log has not grown since. */
  async create(): Promise<{ checkpoint: StoredCheckpoint | null; created: boolean }> {
    const previous = await this.checkpoints.latest();
    const head = await this.store.headPosition();
    if (previous && previous.lastPosition >= head) return { checkpoint: previous, created: false };
    if (!previous && head === 0) return { checkpoint: null, created: false };
    const alg = hashAlgorithmFor(this.key.algorithm);
    const tree = new MerkleAccumulator(alg);
    let lastPosition = 0;
    await forEachLogPage(this.store, { fromPosition: 0, toPosition: head }, (events) => {
      for (const e of events) tree.push(eventLeafHash(alg, e.position, e.hash));
      lastPosition = events[events.length - 1]?.position ?? lastPosition;
    });
    const signed = signCheckpoint(
      {
        seq: (previous?.seq ?? 0) + 1,
        treeSize: tree.size,
        lastPosition,
        rootHash: tree.root().toString('hex'),
        prevCheckpointHash: previous?.checkpointHash ?? null,
        algorithm: this.key.algorithm,
        keyId: this.key.keyId,
        createdAt: this.clock.now().toISOString(),
      },
      this.key.privateKeyPem,
    );
    const checkpoint = { ...signed, publicKey: this.key.publicKeyPem };
    if (await this.checkpoints.insert(checkpoint)) return { checkpoint, created: true };
    return { checkpoint: await this.checkpoints.latest(), created: false };
  }
}

import {
  eventLeafHash, hashAlgorithmFor, verifyChains, verifyCheckpoint,
  type ChainEvent, type HashAlgorithm, type LedgerAlgorithm,
} from '@app/ledger';
import type { EventStore, RecordedEvent } from '@app/event-store';
import type { CheckpointRepository, StoredCheckpoint } from './checkpoint.repository';
import { forEachLogPage } from './log-leaves';
import { MerkleAccumulator } from './merkle-accumulator';

/** Positions are inclusive at both ends: "from 5 to 10" checks events 5 and 10 too. */
export interface VerifyRequest {
  fromPosition?: number;
  toPosition?: number;
  streamId?: string;
}

export interface VerifyResult {
  ok: boolean;
  checkedEvents: number;
  checkedCheckpoints: number;
  firstBad?: { position: number; streamId: string | null; eventId: string | null; reason: string; detail: string };
}

type Anchor = { version: number; hash: string; position: number };

/**
 * Recomputes every hash, follows every stream's chain and, for whole-log checks, every signed
 * checkpoint's Merkle root, and names the first event that does not fit.
 */
export class VerificationService {
  private readonly alg: HashAlgorithm;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointRepository,
    ledgerAlgorithm: LedgerAlgorithm,
    /** false for EventStoreDB, whose positions are not known when an event is hashed. */
    private readonly hashPositions = true,
  ) {
    this.alg = hashAlgorithmFor(ledgerAlgorithm);
  }

  async verify(request: VerifyRequest = {}): Promise<VerifyResult> {
    if (request.streamId) return this.verifyStream(request.streamId);
    const from = Math.max(0, (request.fromPosition ?? 1) - 1);
    const to = request.toPosition ?? (await this.store.headPosition());
    const anchors = new Map<string, Anchor>();
    // A whole-log check holds the log to every checkpoint, even one claiming more than the log now has.
    const signed = (await this.checkpoints.all()).filter((c) => request.toPosition === undefined || c.lastPosition <= request.toPosition);
    const checkpoints = from === 0 ? new CheckpointWalk(this.alg, signed) : null;
    let checked = 0;
    let firstBad: VerifyResult['firstBad'];
    await forEachLogPage(this.store, { fromPosition: from, toPosition: to }, async (events) => {
      if (firstBad) return;
      if (from > 0) await this.addAnchors(events, anchors, from);
      // fromPosition: a stream first met here must link to an event before the range, else one is missing.
      const result = verifyChains(this.alg, events as ChainEvent[], { anchors, hashPositions: this.hashPositions, fromPosition: from + 1 });
      checked += result.checkedEvents;
      if (!result.ok) {
        firstBad = result.firstBad;
        return;
      }
      for (const e of events) {
        anchors.set(e.streamId, { version: e.streamVersion, hash: e.hash, position: e.position });
        firstBad ??= checkpoints?.add(e.position, e.hash);
      }
    });
    firstBad ??= checkpoints?.finish();
    return { ok: !firstBad, checkedEvents: checked, checkedCheckpoints: checkpoints?.checked ?? 0, ...(firstBad ? { firstBad } : {}) };
  }

  private async verifyStream(streamId: string): Promise<VerifyResult> {
    const events = await this.store.readStream(streamId, { raw: true });
    const r = verifyChains(this.alg, events as ChainEvent[], { hashPositions: this.hashPositions });
    return { ok: r.ok, checkedEvents: r.checkedEvents, checkedCheckpoints: 0, ...(r.firstBad ? { firstBad: r.firstBad } : {}) };
  }

  /** A range that starts mid-stream links its first event of each stream to the event before it. */
  private async addAnchors(events: RecordedEvent[], anchors: Map<string, Anchor>, from: number): Promise<void> {
    for (const e of events) {
      if (anchors.has(e.streamId) || e.streamVersion === 1) continue;
      const [prev] = await this.store.readStream(e.streamId, { fromVersion: e.streamVersion - 1, toVersion: e.streamVersion - 1, raw: true });
      // A predecessor inside the range is checked as the walk meets it; anchoring to it would skip that.
      if (prev && prev.position <= from) anchors.set(e.streamId, { version: prev.streamVersion, hash: prev.hash, position: prev.position });
    }
  }
}

/**
 * Each checkpoint must be signed, linked to the one before, and match the Merkle root of the log
 * up to its last position; checked as the leaves stream past.
 */
class CheckpointWalk {
  private readonly tree: MerkleAccumulator;
  private next = 0;
  private previous: StoredCheckpoint | null = null;
  checked = 0;

  constructor(
    private readonly alg: HashAlgorithm,
    private readonly pending: StoredCheckpoint[],
  ) {
    this.tree = new MerkleAccumulator(alg);
  }

  /** Feeds one event (in log order); returns a problem once a checkpoint is passed and fails. */
  add(position: number, hash: string): VerifyResult['firstBad'] {
    const bad = this.checkUpTo(position - 1);
    if (bad) return bad;
    this.tree.push(eventLeafHash(this.alg, position, hash));
    return undefined;
  }

  finish(): VerifyResult['firstBad'] {
    return this.checkUpTo(Number.MAX_SAFE_INTEGER);
  }

  private checkUpTo(position: number): VerifyResult['firstBad'] {
    for (let cp = this.pending[this.next]; cp && cp.lastPosition <= position; cp = this.pending[this.next]) {
      const signature = verifyCheckpoint(cp, cp.publicKey, this.previous);
      const root = this.tree.root().toString('hex');
      if (!signature.ok || this.tree.size !== cp.treeSize || root !== cp.rootHash) {
        const detail = !signature.ok
          ? `checkpoint ${cp.seq}: ${signature.reason ?? 'bad signature'}`
          : `checkpoint ${cp.seq} covers ${cp.treeSize} events with root ${cp.rootHash}; the log up to position ${cp.lastPosition} has ${this.tree.size} with root ${root}`;
        return { position: cp.lastPosition, streamId: null, eventId: null, reason: 'checkpoint_mismatch', detail };
      }
      this.previous = cp;
      this.next += 1;
      this.checked += 1;
    }
    return undefined;
  }
}

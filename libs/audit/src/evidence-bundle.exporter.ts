import { hashAlgorithmFor, type ChainEvent, type LedgerAlgorithm } from '@app/ledger';
import type { Actor, EventStore, RecordedEvent } from '@app/event-store';
import { DomainError, type Clock } from '@app/shared-kernel';
import type { CheckpointRepository, StoredCheckpoint } from './checkpoint.repository';
import type { CheckpointService } from './checkpoint.service';
import { EVIDENCE_BUNDLE_FORMAT, EVIDENCE_BUNDLE_VERSION, type EvidenceBundle } from './evidence-bundle';
import { CheckpointTree } from './inclusion-proof';

export interface ExportRequest {
  streamIds?: string[];
  /** Task ids, i.e. the streams `supervision.task-<id>`. */
  taskIds?: string[];
  /** Inclusive; the bundle must hold at least one event in this range. */
  fromPosition?: number;
  toPosition?: number;
}

/** Beyond these a bundle stops being something one hands over as a single JSON file. */
const MAX_STREAMS = 200;
const MAX_EVENTS = 20_000;

/** Builds evidence bundles (see evidence-bundle.ts) from the live log. */
export class EvidenceBundleExporter {
  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointRepository,
    private readonly signer: CheckpointService,
    private readonly algorithm: LedgerAlgorithm,
    private readonly hashPositions: boolean,
    private readonly clock: Clock,
  ) {}

  async export(request: ExportRequest, by: Actor): Promise<EvidenceBundle> {
    const unsealed = await this.assemble(request, by);
    return { ...unsealed, seal: this.signer.seal(unsealed) };
  }

  private async assemble(request: ExportRequest, by: Actor): Promise<Omit<EvidenceBundle, 'seal'>> {
    const streamIds = await this.selectedStreams(request);
    const heads = await Promise.all(streamIds.map((id) => this.store.streamHead(id)));
    const newest = Math.max(0, ...heads.map((h) => h?.position ?? 0));
    const checkpoint = await this.covering(Math.min(request.toPosition ?? Number.MAX_SAFE_INTEGER, newest));
    const cut = Math.min(request.toPosition ?? Number.MAX_SAFE_INTEGER, checkpoint.lastPosition);

    // Whole streams from version 1, so that each chain verifies from genesis offline.
    const events: ChainEvent[] = [];
    for (const id of streamIds) {
      for (const e of await this.store.readStream(id, { raw: true })) if (e.position <= cut) events.push(asStored(e));
      if (events.length > MAX_EVENTS) throw new DomainError('rule', 'BUNDLE_TOO_LARGE', `The selection holds more than ${MAX_EVENTS} events; export fewer streams or a shorter range.`);
    }
    events.sort((a, b) => a.position - b.position);
    const from = request.fromPosition ?? 0;
    if (!events.some((e) => e.position >= from)) {
      throw new DomainError('rule', 'EMPTY_SELECTION', `No event of the selected streams lies between positions ${from} and ${cut} (the latest checkpoint covers up to ${checkpoint.lastPosition}).`);
    }

    const tree = await CheckpointTree.build(this.store, checkpoint);
    const last = new Map(events.map((e) => [e.streamId, e]));
    const { publicKey, ...signed } = checkpoint;
    return {
      format: EVIDENCE_BUNDLE_FORMAT,
      formatVersion: EVIDENCE_BUNDLE_VERSION,
      exportedAt: this.clock.now().toISOString(),
      exportedBy: { personId: by.personId, name: by.name },
      selection: { streamIds, fromPosition: request.fromPosition ?? null, toPosition: request.toPosition ?? null },
      algorithm: this.algorithm,
      hashAlgorithm: hashAlgorithmFor(this.algorithm),
      hashPositions: this.hashPositions,
      publicKey,
      checkpoint: signed,
      streams: [...last.values()].map((e) => ({ streamId: e.streamId, lastVersion: e.streamVersion, lastHash: e.hash })),
      events,
      // An event the tree lacks (the log was cut after signing) gets no proof: the verifier names it.
      proofs: events.flatMap((e) => tree.proof(e.eventId, e.position) ?? []),
    };
  }

  private async selectedStreams(request: ExportRequest): Promise<string[]> {
    const named = [
      ...(request.streamIds ?? []).map((id) => ({ streamId: id, code: 'STREAM_NOT_FOUND', what: `stream ${id}` })),
      ...(request.taskIds ?? []).map((id) => ({ streamId: `supervision.task-${id}`, code: 'TASK_NOT_FOUND', what: `task ${id}` })),
    ];
    if (named.length === 0) return this.streamsInRange(request);
    for (const n of named) {
      if (!(await this.store.streamHead(n.streamId))) throw new DomainError('not_found', n.code, `There is no ${n.what}.`);
    }
    const ids = [...new Set(named.map((n) => n.streamId))];
    if (ids.length > MAX_STREAMS) throw new DomainError('rule', 'BUNDLE_TOO_LARGE', `At most ${MAX_STREAMS} streams per bundle.`);
    return ids;
  }

  /** No streams named: every stream with an event in the range. */
  private async streamsInRange(request: ExportRequest): Promise<string[]> {
    if (request.fromPosition === undefined && request.toPosition === undefined) {
      throw new DomainError('invalid', 'SELECTION_REQUIRED', 'Name streamIds or taskIds, or give a position range.', [{ field: 'streamIds', message: 'streamIds, taskIds, fromPosition or toPosition is required' }]);
    }
    const ids = new Set<string>();
    const to = request.toPosition ?? (await this.store.headPosition());
    for (let from = Math.max(0, (request.fromPosition ?? 1) - 1); from < to; ) {
      const page = await this.store.readAll({ fromPosition: from, toPosition: to, limit: 5000 });
      for (const e of page.events) ids.add(e.streamId);
      if (ids.size > MAX_STREAMS) throw new DomainError('rule', 'BUNDLE_TOO_LARGE', `The range touches more than ${MAX_STREAMS} streams; export a shorter range.`);
      if (page.events.length === 0 || page.lastPosition <= from) break;
      from = page.lastPosition;
    }
    if (ids.size === 0) throw new DomainError('rule', 'EMPTY_SELECTION', 'No event lies in the given range.');
    return [...ids];
  }

  /** The latest checkpoint if it covers `position`, else a fresh one (which covers the gap-safe log). */
  private async covering(position: number): Promise<StoredCheckpoint> {
    const latest = await this.checkpoints.latest();
    if (latest && latest.lastPosition >= position) return latest;
    try {
      const { checkpoint } = await this.signer.create();
      if (checkpoint) return checkpoint;
    } catch (error) {
      // Another process took this sequence number at the same moment: its checkpoint serves as well.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
    const now = await this.checkpoints.latest();
    if (!now) throw new DomainError('rule', 'EMPTY_SELECTION', 'The log is empty.');
    return now;
  }
}

/** Exactly the fields the hash and chain cover, whatever else a store's row carries. */
function asStored(e: RecordedEvent): ChainEvent {
  const { eventId, streamId, streamVersion, position, type, schemaVersion, data, metadata, recordedAt, hash, prevHash } = e;
  const prevPosition = (e as RecordedEvent & { prevPosition?: number | null }).prevPosition ?? null;
  return { eventId, streamId, streamVersion, position, prevPosition, type, schemaVersion, data, metadata, recordedAt, hash, prevHash };
}

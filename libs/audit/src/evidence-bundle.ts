import {
  eventLeafHash, hashAlgorithmFor, hashFromHex, isHashHex, isLedgerAlgorithm, verifyChains, verifyCheckpoint, verifyInclusion, verifySeal,
  type ChainEvent, type HashAlgorithm, type LedgerAlgorithm, type Seal, type SignedCheckpoint,
} from '@app/ledger';
import type { InclusionProof } from './inclusion-proof';

export const EVIDENCE_BUNDLE_FORMAT = 'supervision-ledger/evidence-bundle';
export const EVIDENCE_BUNDLE_VERSION = 1;

/**
 * A self-contained, offline-verifiable export: each selected stream's events exactly as stored
 * and hashed (from version 1, so every chain starts at genesis), the signed checkpoint covering
 * them, one inclusion proof per event and the key that verifies the checkpoint. The seal (the same
 * key, over everything else) covers what no chain does: which streams were exported and where
 * each ends, so a stream dropped or cut short together with its declaration still shows.
 */
export interface EvidenceBundle {
  format: typeof EVIDENCE_BUNDLE_FORMAT;
  formatVersion: typeof EVIDENCE_BUNDLE_VERSION;
  exportedAt: string;
  exportedBy: { personId: string; name: string };
  selection: { streamIds: string[]; fromPosition: number | null; toPosition: number | null };
  algorithm: LedgerAlgorithm;
  hashAlgorithm: HashAlgorithm;
  /** False for EventStoreDB logs, whose event hashes cover a null position. */
  hashPositions: boolean;
  publicKey: string;
  checkpoint: SignedCheckpoint;
  /** Per stream: the last version and hash the bundle holds (a truncated chain shows against it). */
  streams: { streamId: string; lastVersion: number; lastHash: string }[];
  /** All events of the streams, in log order. */
  events: ChainEvent[];
  proofs: InclusionProof[];
  seal: Seal;
}

export type BundleProblem =
  | 'malformed'
  | 'checkpoint_invalid'
  | 'hash_mismatch'
  | 'broken_link'
  | 'missing_event'
  | 'position_order'
  | 'version_order'
  | 'after_checkpoint'
  | 'proof_missing'
  | 'proof_invalid'
  | 'seal_invalid';

export interface BundleBad {
  eventId: string | null;
  streamId: string | null;
  position: number | null;
  reason: BundleProblem;
  detail: string;
}

export interface BundleVerification {
  ok: boolean;
  checkedEvents: number;
  streams: number;
  checkpoint: { seq: number; treeSize: number; lastPosition: number; rootHash: string; keyId: string } | null;
  firstBad?: BundleBad;
}

const EVENT_FIELDS = ['eventId', 'streamId', 'streamVersion', 'position', 'prevPosition', 'type', 'schemaVersion', 'data', 'metadata', 'recordedAt', 'hash', 'prevHash'];

/**
 * Checks a bundle with nothing but its own bytes: the checkpoint's signature under the bundled key,
 * every event hash and chain from genesis, every inclusion proof against the signed root, and the
 * declared end of each stream. Names the first event that does not fit. Never throws.
 */
export function verifyEvidenceBundle(input: unknown): BundleVerification {
  try {
    return check(input);
  } catch (error) {
    // Field types the shape check let through (a negative position, say) end here rather than in a crash.
    return failed(null, { eventId: null, streamId: null, position: null, reason: 'malformed', detail: (error as Error).message });
  }
}

function check(input: unknown): BundleVerification {
  const shape = malformation(input);
  if (shape) return failed(null, { eventId: null, streamId: null, position: null, reason: 'malformed', detail: shape });
  const bundle = input as EvidenceBundle;
  const cp = bundle.checkpoint;
  const summary = { seq: cp.seq, treeSize: cp.treeSize, lastPosition: cp.lastPosition, rootHash: cp.rootHash, keyId: cp.keyId };
  const fail = (bad: BundleBad, checked = 0): BundleVerification => ({ ...failed(summary, bad), checkedEvents: checked, streams: bundle.streams.length });

  const signature = verifyCheckpoint(cp, bundle.publicKey);
  if (!signature.ok) return fail({ eventId: null, streamId: null, position: cp.lastPosition, reason: 'checkpoint_invalid', detail: `checkpoint ${cp.seq}: ${signature.reason}: ${signature.detail}` });
  if (cp.algorithm !== bundle.algorithm) return fail({ eventId: null, streamId: null, position: null, reason: 'checkpoint_invalid', detail: `checkpoint signed with ${cp.algorithm}, bundle says ${bundle.algorithm}` });
  const alg = hashAlgorithmFor(cp.algorithm);
  const proofs = new Map(bundle.proofs.map((p) => [p.eventId, p]));

  const chains = verifyChains(alg, bundle.events, { hashPositions: bundle.hashPositions, fromPosition: 0 });
  if (!chains.ok && chains.firstBad) {
    const b = chains.firstBad;
    // A removed event is known to the chain only by position; its proof, if left behind, names it.
    const eventId = b.eventId ?? bundle.proofs.find((p) => p.position === b.position)?.eventId ?? null;
    return fail({ eventId, streamId: b.streamId, position: b.position, reason: b.reason, detail: b.detail }, chains.checkedEvents);
  }

  const root = hashFromHex(cp.rootHash);
  for (const [i, e] of bundle.events.entries()) {
    const at = { eventId: e.eventId, streamId: e.streamId, position: e.position };
    if (e.position > cp.lastPosition) return fail({ ...at, reason: 'after_checkpoint', detail: `position ${e.position} is after the checkpoint's last position ${cp.lastPosition}` }, i);
    const proof = proofs.get(e.eventId);
    if (!proof) return fail({ ...at, reason: 'proof_missing', detail: 'no inclusion proof for this event' }, i);
    if (!proofVerifies(alg, e, proof, cp.treeSize, root)) {
      return fail({ ...at, reason: 'proof_invalid', detail: `inclusion proof at leaf ${String(proof.leafIndex)} does not lead to root ${cp.rootHash}` }, i);
    }
  }

  const seen = new Set(bundle.events.map((e) => e.eventId));
  const orphan = bundle.proofs.find((p) => !seen.has(p.eventId));
  if (orphan) return fail({ eventId: orphan.eventId, streamId: null, position: orphan.position, reason: 'missing_event', detail: 'proved to be in the log but not in the bundle' }, bundle.events.length);
  const tail = truncatedStream(bundle);
  if (tail) return fail(tail, bundle.events.length);
  // Last, so that a changed event is named by the checks above rather than only by the seal.
  const sealed = sealProblem(bundle);
  if (sealed) return fail({ eventId: null, streamId: null, position: null, reason: 'seal_invalid', detail: sealed }, bundle.events.length);
  return { ok: true, checkedEvents: bundle.events.length, streams: bundle.streams.length, checkpoint: summary };
}

function proofVerifies(alg: HashAlgorithm, e: ChainEvent, proof: InclusionProof, treeSize: number, root: Buffer): boolean {
  if (proof.position !== e.position || !Array.isArray(proof.auditPath) || !proof.auditPath.every(isHashHex)) return false;
  // The leaf is recomputed from the event itself: a proof's own leafHash is not trusted.
  const leaf = eventLeafHash(alg, e.position, e.hash);
  return verifyInclusion(alg, leaf, proof.leafIndex, treeSize, proof.auditPath.map((h) => hashFromHex(h)), root);
}

/** Each declared stream must end where the bundle says: a removed last event leaves no broken link. */
function truncatedStream(bundle: EvidenceBundle): BundleBad | null {
  const last = new Map<string, ChainEvent>();
  for (const e of bundle.events) last.set(e.streamId, e);
  for (const s of bundle.streams) {
    const e = last.get(s.streamId);
    if (!e || e.streamVersion !== s.lastVersion || e.hash !== s.lastHash) {
      return { eventId: null, streamId: s.streamId, position: null, reason: 'missing_event', detail: `the stream should end at version ${s.lastVersion} (hash ${s.lastHash}) but the bundle ends it at ${e ? `version ${e.streamVersion}` : 'nothing'}` };
    }
    last.delete(s.streamId);
  }
  const [undeclared] = last.values();
  return undeclared ? { eventId: undeclared.eventId, streamId: undeclared.streamId, position: undeclared.position, reason: 'malformed', detail: 'event of a stream the bundle does not declare' } : null;
}

function sealProblem(bundle: EvidenceBundle): string | null {
  const { seal, ...sealed } = bundle;
  if (seal.keyId !== bundle.checkpoint.keyId) return `the bundle is not sealed by the checkpoint's key ${bundle.checkpoint.keyId}`;
  const result = verifySeal(seal, bundle.publicKey, sealed);
  return result.ok ? null : `the bundle's seal does not hold: ${result.detail ?? ''}`;
}

function failed(checkpoint: BundleVerification['checkpoint'], firstBad: BundleBad): BundleVerification {
  return { ok: false, checkedEvents: 0, streams: 0, checkpoint, firstBad };
}

/** Shape checks, so a hand-edited bundle is reported as malformed instead of crashing the verifier. */
function malformation(input: unknown): string | null {
  if (!isObject(input)) return 'not a JSON object';
  if (input.format !== EVIDENCE_BUNDLE_FORMAT || input.formatVersion !== EVIDENCE_BUNDLE_VERSION) return `not a ${EVIDENCE_BUNDLE_FORMAT} v${EVIDENCE_BUNDLE_VERSION}`;
  if (typeof input.algorithm !== 'string' || !isLedgerAlgorithm(input.algorithm)) return 'unknown algorithm';
  if (typeof input.publicKey !== 'string') return 'publicKey missing';
  if (typeof input.hashPositions !== 'boolean') return 'hashPositions missing';
  if (!isObject(input.checkpoint)) return 'checkpoint missing';
  if (!isObject(input.seal)) return 'seal missing';
  if (!Array.isArray(input.events) || !Array.isArray(input.proofs) || !Array.isArray(input.streams)) return 'events, proofs and streams must be arrays';
  const badEvent = (input.events as unknown[]).findIndex((e) => !isObject(e) || EVENT_FIELDS.some((f) => !(f in e)));
  if (badEvent >= 0) return `event ${badEvent} lacks envelope fields`;
  if (!(input.proofs as unknown[]).every((p) => isObject(p) && typeof p.eventId === 'string')) return 'every proof needs an eventId';
  if (!(input.streams as unknown[]).every((s) => isObject(s) && typeof s.streamId === 'string')) return 'every stream needs a streamId';
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

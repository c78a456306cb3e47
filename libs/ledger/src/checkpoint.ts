import { canonicalize } from './canonical-json';
import { digest, isHashHex } from './hash';
import { hashAlgorithmFor, isLedgerAlgorithm, keyIdOf, type LedgerAlgorithm, publicKeyPemOf, signMessage, verifySignature } from './signer';

/** What a checkpoint commits to. Its canonical JSON is what is hashed and signed. */
export interface CheckpointBody {
  /** 1, 2, 3, … one per checkpoint. */
  seq: number;
  /** Number of log events (Merkle leaves) covered. */
  treeSize: number;
  /** Global position of the last covered event. */
  lastPosition: number;
  /** Hex RFC 9162 Merkle root over the covered events' leaf hashes. */
  rootHash: string;
  /** checkpointHash of the previous checkpoint; null for the first. */
  prevCheckpointHash: string | null;
  algorithm: LedgerAlgorithm;
  keyId: string;
  createdAt: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** Hex digest (SHA-256 or SM3, per algorithm) of the canonical body. */
  checkpointHash: string;
  /** Base64 signature over the canonical body bytes. */
  signature: string;
}

export type CheckpointFailure = 'malformed' | 'key_id_mismatch' | 'hash_mismatch' | 'bad_signature' | 'broken_link';

export interface CheckpointVerification {
  ok: boolean;
  reason?: CheckpointFailure;
  detail?: string;
}

/** Only the body fields, in a fresh object: extra properties must never leak into what is signed. */
export function checkpointBodyOf(cp: CheckpointBody): CheckpointBody {
  const { seq, treeSize, lastPosition, rootHash, prevCheckpointHash, algorithm, keyId, createdAt } = cp;
  return { seq, treeSize, lastPosition, rootHash, prevCheckpointHash, algorithm, keyId, createdAt };
}

/**
 * PERSISTED FORMAT: checkpointHash = hex digest(hashAlgorithmFor(algorithm), UTF-8(JCS(body)))
 * and signature = sign(algorithm, UTF-8(JCS(body))). Refuses a body whose keyId does not name
 * the signing key, so a checkpoint can always be matched to the key that verifies it.
 */
export function signCheckpoint(body: CheckpointBody, privateKeyPem: string): SignedCheckpoint {
  const clean = checkpointBodyOf(body);
  const problem = malformation(clean);
  if (problem) throw new TypeError(`signCheckpoint: ${problem}`);
  const actualKeyId = keyIdOf(publicKeyPemOf(clean.algorithm, privateKeyPem));
  if (actualKeyId !== clean.keyId) {
    throw new Error(`signCheckpoint: keyId ${clean.keyId} does not match the signing key (${actualKeyId})`);
  }
  const bytes = Buffer.from(canonicalize(clean), 'utf8');
  return {
    ...clean,
    checkpointHash: digest(hashAlgorithmFor(clean.algorithm), bytes).toString('hex'),
    signature: signMessage(clean.algorithm, privateKeyPem, bytes),
  };
}

/**
 * Checks the hash, the signature and — when `previous` is given — the link to it.
 * `previous === null` asserts that `cp` is the first checkpoint; `undefined` skips the link.
 */
export function verifyCheckpoint(
  cp: SignedCheckpoint,
  publicKeyPem: string,
  previous?: SignedCheckpoint | null,
): CheckpointVerification {
  const body = checkpointBodyOf(cp);
  const problem = malformation(body);
  if (problem) return fail('malformed', problem);
  let keyId: string;
  try {
    keyId = keyIdOf(publicKeyPem);
  } catch {
    return fail('key_id_mismatch', 'the public key cannot be parsed');
  }
  if (keyId !== body.keyId) return fail('key_id_mismatch', `signed by ${body.keyId}, verifying with ${keyId}`);

  const bytes = Buffer.from(canonicalize(body), 'utf8');
  const expectedHash = digest(hashAlgorithmFor(body.algorithm), bytes).toString('hex');
  if (cp.checkpointHash !== expectedHash) {
    return fail('hash_mismatch', `stored ${String(cp.checkpointHash)}, body hashes to ${expectedHash}`);
  }
  if (typeof cp.signature !== 'string' || !verifySignature(body.algorithm, publicKeyPem, bytes, cp.signature)) {
    return fail('bad_signature', `signature does not verify under key ${keyId}`);
  }
  if (previous === undefined) return { ok: true };
  return checkLink(body, previous);
}

function checkLink(body: CheckpointBody, previous: SignedCheckpoint | null): CheckpointVerification {
  if (previous === null) {
    return body.prevCheckpointHash === null
      ? { ok: true }
      : fail('broken_link', 'expected the first checkpoint, but it links to a predecessor');
  }
  if (body.prevCheckpointHash !== previous.checkpointHash) {
    return fail('broken_link', `links to ${String(body.prevCheckpointHash)}, previous is ${previous.checkpointHash}`);
  }
  if (body.seq !== previous.seq + 1) return fail('broken_link', `seq ${body.seq} follows seq ${previous.seq}`);
  // The log only grows: a smaller tree or an earlier last position means history was cut.
  if (body.treeSize < previous.treeSize) {
    return fail('broken_link', `treeSize ${body.treeSize} is smaller than the previous ${previous.treeSize}`);
  }
  if (body.lastPosition < previous.lastPosition) {
    return fail('broken_link', `lastPosition ${body.lastPosition} is before the previous ${previous.lastPosition}`);
  }
  return { ok: true };
}

/** Shape checks, so a hand-edited or truncated record fails as malformed rather than throwing. */
function malformation(body: CheckpointBody): string | null {
  if (!isNonNegativeInteger(body.seq)) return 'seq must be a non-negative integer';
  if (!isNonNegativeInteger(body.treeSize)) return 'treeSize must be a non-negative integer';
  if (!isNonNegativeInteger(body.lastPosition)) return 'lastPosition must be a non-negative integer';
  if (!isHashHex(body.rootHash)) return 'rootHash must be 64 hex characters';
  if (body.prevCheckpointHash !== null && !isHashHex(body.prevCheckpointHash)) {
    return 'prevCheckpointHash must be 64 hex characters or null';
  }
  if (typeof body.algorithm !== 'string' || !isLedgerAlgorithm(body.algorithm)) return 'unknown algorithm';
  if (typeof body.keyId !== 'string' || body.keyId === '') return 'keyId must be a non-empty string';
  if (typeof body.createdAt !== 'string') return 'createdAt must be a string';
  return null;
}

function isNonNegativeInteger(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function fail(reason: CheckpointFailure, detail: string): CheckpointVerification {
  return { ok: false, reason, detail };
}

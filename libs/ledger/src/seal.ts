import { canonicalize } from './canonical-json';
import { digest } from './hash';
import { hashAlgorithmFor, isLedgerAlgorithm, keyIdOf, publicKeyPemOf, signMessage, verifySignature, type LedgerAlgorithm } from './signer';

/**
 * The ledger key's signature over a whole document (an evidence bundle, a frozen bulletin): any
 * change to any part of it, including what no hash chain covers, breaks it.
 */
export interface Seal {
  algorithm: LedgerAlgorithm;
  keyId: string;
  /** Hex digest (SHA-256 or SM3, per algorithm) of the document's canonical JSON. */
  digest: string;
  /** Base64 signature over the same bytes. */
  signature: string;
}

export interface SealVerification {
  ok: boolean;
  detail?: string;
}

/** PERSISTED FORMAT: digest and signature over UTF-8(JCS(document)), as for checkpoints. */
export function sealDocument(algorithm: LedgerAlgorithm, privateKeyPem: string, document: unknown): Seal {
  const bytes = Buffer.from(canonicalize(document), 'utf8');
  return {
    algorithm,
    keyId: keyIdOf(publicKeyPemOf(algorithm, privateKeyPem)),
    digest: digest(hashAlgorithmFor(algorithm), bytes).toString('hex'),
    signature: signMessage(algorithm, privateKeyPem, bytes),
  };
}

/** Never throws: a malformed seal or key, another key, or a changed document all fail with a reason. */
export function verifySeal(seal: unknown, publicKeyPem: string, document: unknown): SealVerification {
  if (!isSeal(seal)) return { ok: false, detail: 'the seal is missing or malformed' };
  let keyId: string;
  let bytes: Buffer;
  try {
    keyId = keyIdOf(publicKeyPem);
    bytes = Buffer.from(canonicalize(document), 'utf8');
  } catch (error) {
    return { ok: false, detail: `cannot check the seal: ${(error as Error).message}` };
  }
  if (keyId !== seal.keyId) return { ok: false, detail: `sealed by key ${seal.keyId}, not by the given key ${keyId}` };
  if (digest(hashAlgorithmFor(seal.algorithm), bytes).toString('hex') !== seal.digest) return { ok: false, detail: 'the document was changed after it was sealed (digest differs)' };
  if (!verifySignature(seal.algorithm, publicKeyPem, bytes, seal.signature)) return { ok: false, detail: 'the signature does not verify' };
  return { ok: true };
}

function isSeal(value: unknown): value is Seal {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return typeof s.algorithm === 'string' && isLedgerAlgorithm(s.algorithm) && typeof s.keyId === 'string' && typeof s.digest === 'string' && typeof s.signature === 'string';
}

import { createHash } from 'node:crypto';

/** SHA-256 for the international profile, SM3 (GB/T 32905) for the national-crypto profile. */
export type HashAlgorithm = 'sha256' | 'sm3';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sm3'];

/** Both supported algorithms produce 32-byte digests; the Merkle and chain code relies on it. */
export const HASH_BYTES = 32;

export type HashChunk = Buffer | Uint8Array | string;

export function isHashAlgorithm(value: string): value is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(value);
}

/** Digest of the concatenated chunks; strings are hashed as UTF-8. */
export function digest(alg: HashAlgorithm, ...chunks: HashChunk[]): Buffer {
  const hash = createHash(alg);
  for (const chunk of chunks) {
    if (typeof chunk === 'string') hash.update(chunk, 'utf8');
    else hash.update(chunk);
  }
  return hash.digest();
}

const HEX_HASH_RE = /^[0-9a-f]{64}$/i;

export function isHashHex(value: unknown): value is string {
  return typeof value === 'string' && HEX_HASH_RE.test(value);
}

/**
 * Hex → 32 bytes, strictly. Buffer.from(hex, 'hex') silently stops at the first bad
 * character, which would let a corrupted hash hash as a shorter value; we refuse instead.
 */
export function hashFromHex(hex: string, what = 'hash'): Buffer {
  if (!isHashHex(hex)) {
    throw new TypeError(`${what} must be ${HASH_BYTES * 2} hex characters`);
  }
  return Buffer.from(hex, 'hex');
}

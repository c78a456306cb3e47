import { readOrCreateSecretFile } from './secret-file';
import { generateSigningKey, keyIdOf, type LedgerAlgorithm, publicKeyPemOf } from './signer';

export interface LoadedSigningKey {
  privateKeyPem: string;
  publicKeyPem: string;
  /** First 16 hex characters of SHA-256 over the SPKI DER. */
  keyId: string;
}

/**
 * Reads the PKCS#8 PEM private key at `path`, creating it (and its folder) on first use.
 * The file is created owner-only (0600) and published atomically, so concurrent starters
 * agree on one key and a crash never leaves a half-written key behind. An existing key of
 * the wrong algorithm is an error, never silently replaced.
 */
export function loadOrCreateSigningKey(path: string, alg: LedgerAlgorithm): LoadedSigningKey {
  const privateKeyPem = readOrCreateSecretFile(path, () => generateSigningKey(alg).privateKeyPem);
  let publicKeyPem: string;
  try {
    publicKeyPem = publicKeyPemOf(alg, privateKeyPem);
  } catch (error) {
    throw new Error(`signing key ${path} is not a usable ${alg} private key: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { privateKeyPem, publicKeyPem, keyId: keyIdOf(publicKeyPem) };
}

import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
  const existing = readKeyFile(path);
  const privateKeyPem = existing ?? createKeyFile(path, alg);
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

function readKeyFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function createKeyFile(path: string, alg: LedgerAlgorithm): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKeyPem } = generateSigningKey(alg);
  // Write a private temp file, then link it into place: link fails if the key appeared
  // meanwhile, in which case the other writer's key wins.
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, privateKeyPem, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return privateKeyPem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(path, 'utf8');
  } finally {
    unlinkSync(temp);
  }
}

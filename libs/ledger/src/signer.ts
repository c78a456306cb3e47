import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { digest, type HashAlgorithm } from './hash';

/** Ed25519 for the international profile, SM2 (GB/T 32918) with SM3 for the national one. */
export type LedgerAlgorithm = 'ed25519' | 'sm2';

export const LEDGER_ALGORITHMS: readonly LedgerAlgorithm[] = ['ed25519', 'sm2'];

export interface SigningKeyPair {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
}

export function isLedgerAlgorithm(value: string): value is LedgerAlgorithm {
  return (LEDGER_ALGORITHMS as readonly string[]).includes(value);
}

export function hashAlgorithmFor(alg: LedgerAlgorithm): HashAlgorithm {
  return alg === 'sm2' ? 'sm3' : 'sha256';
}

/*
 * SM2 on Node 20 / OpenSSL 3 (checked on Node 20.20, OpenSSL 3.0.19):
 * generateKeyPairSync('ec', { namedCurve: 'SM2' }) returns KeyObjects typed 'ec', and
 * signing with THOSE produces ECDSA over the SM2 curve — not an SM2 signature, and not
 * verifiable by SM2 tooling. Once the key goes through PEM, OpenSSL 3 recognises the SM2
 * curve and loads a real SM2 key (Node reports its asymmetricKeyType as undefined), which
 * signs per GB/T 32918 with SM3 and the default user id "1234567812345678" (verified against
 * `openssl pkeyutl -verify -rawin -digest sm3`). Hence keys only ever travel as PEM and are
 * re-parsed before every sign/verify, and loadKey rejects an SM2 key that still parses as 'ec'.
 */
export function generateSigningKey(alg: LedgerAlgorithm): SigningKeyPair {
  const { privateKey, publicKey } =
    alg === 'sm2' ? generateKeyPairSync('ec', { namedCurve: 'SM2' }) : generateKeyPairSync('ed25519');
  const pair = {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  // Fail at key creation, not at the first checkpoint, if this runtime cannot do real SM2.
  loadKey(alg, pair.privateKeyPem, 'private');
  return pair;
}

/** The SPKI PEM of a private key's public half. */
export function publicKeyPemOf(alg: LedgerAlgorithm, privateKeyPem: string): string {
  return createPublicKey(loadKey(alg, privateKeyPem, 'private')).export({ type: 'spki', format: 'pem' }).toString();
}

/** First 16 hex characters of SHA-256 over the SPKI DER: a short, stable name for a key. */
export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return digest('sha256', der).toString('hex').slice(0, 16);
}

/** Base64 signature of `message` (Ed25519 pure, or SM2 with SM3). */
export function signMessage(alg: LedgerAlgorithm, privateKeyPem: string, message: Buffer): string {
  const key = loadKey(alg, privateKeyPem, 'private');
  return sign(alg === 'sm2' ? 'sm3' : null, message, key).toString('base64');
}

/** Never throws: a malformed key, algorithm mismatch or signature all verify as false. */
export function verifySignature(
  alg: LedgerAlgorithm,
  publicKeyPem: string,
  message: Buffer,
  signatureB64: string,
): boolean {
  try {
    const signature = Buffer.from(signatureB64, 'base64');
    // Buffer.from ignores stray characters; demand the canonical encoding so a signature
    // string cannot be altered without failing.
    if (signature.length === 0 || signature.toString('base64') !== signatureB64) return false;
    const key = loadKey(alg, publicKeyPem, 'public');
    return verify(alg === 'sm2' ? 'sm3' : null, message, key, signature);
  } catch {
    return false;
  }
}

// DER of OID 1.2.156.10197.1.301 (the SM2 curve), as it appears in SM2 SPKI/PKCS#8.
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

/** Parses a PEM key and insists it is of the algorithm's kind, so e.g. a P-256 key cannot sign "SM2". */
function loadKey(alg: LedgerAlgorithm, pem: string, kind: 'private' | 'public'): KeyObject {
  const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  const type = key.asymmetricKeyType;
  if (alg === 'ed25519') {
    if (type !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${String(type)}`);
    return key;
  }
  const spki = (kind === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  if (!spki.includes(SM2_CURVE_OID)) throw new Error(`expected an SM2 key, got ${String(type)}`);
  if (type === 'ec') {
    throw new Error(
      'this Node/OpenSSL loads SM2 keys as generic EC keys, which would sign ECDSA instead of SM2; SM2 is unavailable here',
    );
  }
  return key;
}

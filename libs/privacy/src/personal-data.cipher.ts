import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a fresh random 96-bit nonce per value (NIST SP 800-38D). A subject's key
 * seals a handful of values in its lifetime, far below the 2^32 random nonces per key that the
 * standard allows, so random nonces are safe here and need no counter state.
 */
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Prefix of every sealed value: the scheme, so that a later one (say SM4-GCM) can sit beside it. */
const SCHEME = 'v1';

/** A sealed value that does not open: the wrong key, the wrong subject or field, or altered bytes. */
export class SealBrokenError extends Error {
  override readonly name = 'SealBrokenError';
}

export const newDataKey = (): Buffer => randomBytes(KEY_BYTES);

/**
 * Associated data: the ciphertext opens only as the field of the subject it was sealed for, so a
 * value copied onto another subject or field fails instead of showing someone else's data.
 */
const fieldAad = (subjectId: string, field: string): Buffer => Buffer.from(JSON.stringify(['pii-field', SCHEME, subjectId, field]));
const keyAad = (subjectId: string): Buffer => Buffer.from(JSON.stringify(['pii-subject-key', SCHEME, subjectId]));

function encrypt(key: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

function decrypt(key: Buffer, aad: Buffer, sealed: Buffer, what: string): Buffer {
  if (key.length !== KEY_BYTES || sealed.length < NONCE_BYTES + TAG_BYTES) throw new SealBrokenError(`${what} is not an AES-256-GCM sealed value`);
  const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new SealBrokenError(`${what} does not open with this key (wrong key, subject or field, or altered)`, { cause: error });
  }
}

/** `v1.<base64url(nonce ‖ ciphertext ‖ tag)>`: what events carry instead of the plaintext. */
export function sealField(dataKey: Buffer, subjectId: string, field: string, plaintext: string): string {
  return `${SCHEME}.${encrypt(dataKey, fieldAad(subjectId, field), Buffer.from(plaintext, 'utf8')).toString('base64url')}`;
}

export function openField(dataKey: Buffer, subjectId: string, field: string, sealed: string): string {
  const [scheme, body, ...rest] = sealed.split('.');
  if (scheme !== SCHEME || body === undefined || rest.length > 0) throw new SealBrokenError(`field ${field} of subject ${subjectId} is not a ${SCHEME} sealed value`);
  return decrypt(dataKey, fieldAad(subjectId, field), Buffer.from(body, 'base64url'), `field ${field} of subject ${subjectId}`).toString('utf8');
}

/** A subject's data key as stored: sealed under the master key and bound to the subject's id. */
export function wrapDataKey(masterKey: Buffer, subjectId: string, dataKey: Buffer): Buffer {
  return encrypt(masterKey, keyAad(subjectId), dataKey);
}

export function unwrapDataKey(masterKey: Buffer, subjectId: string, wrapped: Buffer): Buffer {
  return decrypt(masterKey, keyAad(subjectId), wrapped, `the data key of subject ${subjectId}`);
}

/**
 * A keyed digest (HMAC-SHA-256 under a key derived from the master key by HKDF) of text that may
 * hold personal data, such as a request body kept to recognise its retries: equal texts give equal
 * digests, but without the master key nobody can test a guessed ID number against one.
 */
export function fingerprintOf(masterKey: Buffer, text: string): string {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'supervision-ledger fingerprint v1', 32));
  try {
    return createHmac('sha256', key).update(text).digest('hex');
  } finally {
    key.fill(0);
  }
}

import { randomBytes } from 'node:crypto';
import { readOrCreateSecretFile } from '@app/ledger';

const KEY_BYTES = 32;

/**
 * The master key that wraps every data subject's key: 32 random bytes, base64 in a file. Created
 * on first use, owner-only (0600) and published atomically like the ledger key, so concurrent
 * starters agree on one key. A deployment provisions it from its secret store instead; a file
 * that is not exactly 32 bytes of base64 stops the start rather than creating another key, which
 * would make every stored subject key unreadable.
 */
export function loadOrCreateMasterKey(path: string): Buffer {
  const text = readOrCreateSecretFile(path, () => `${randomBytes(KEY_BYTES).toString('base64')}\n`);
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text.trim()) throw new Error(`personal-data master key ${path} must hold ${KEY_BYTES} bytes in base64 (PII_MASTER_KEY_FILE)`);
  return key;
}

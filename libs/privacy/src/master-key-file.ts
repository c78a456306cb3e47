import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const KEY_BYTES = 32;

/**
 * The master key that wraps every data subject's key: 32 random bytes, base64 in a file. Created
 * on first use, owner-only (0600) and published atomically like the ledger key, so concurrent
 * starters agree on one key. A deployment provisions it from its secret store instead; a file
 * that is not exactly 32 bytes of base64 stops the start rather than creating another key, which
 * would make every stored subject key unreadable.
 */
export function loadOrCreateMasterKey(path: string): Buffer {
  const text = readKeyFile(path) ?? createKeyFile(path);
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text.trim()) throw new Error(`personal-data master key ${path} must hold ${KEY_BYTES} bytes in base64 (PII_MASTER_KEY_FILE)`);
  return key;
}

function readKeyFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function createKeyFile(path: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const text = `${randomBytes(KEY_BYTES).toString('base64')}\n`;
  // A private temp file linked into place: link fails if another starter's key appeared meanwhile, and that one wins.
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(path, 'utf8');
  } finally {
    unlinkSync(temp);
  }
}

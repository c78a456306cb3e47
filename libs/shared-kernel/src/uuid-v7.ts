import { createHash, randomFillSync } from 'node:crypto';

const POOL_IDS = 512;
// Random bytes for many ids at once: one randomBytes(16) call per id cost about 4 µs, and every
// event and command takes at least one id.
const pool = Buffer.allocUnsafe(10 * POOL_IDS);
let offset = pool.length;

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits. Time-ordered ids keep
 * B-tree inserts on the right edge of the index, which matters on the append path.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += 10;
  const ms = Math.floor(nowMs).toString(16).padStart(12, '0').slice(-12);
  const r = pool.toString('hex', at, at + 9);
  const variant = '89ab'.charAt((pool[at + 9] ?? 0) & 3);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${r.slice(0, 3)}-${variant}${r.slice(3, 6)}-${r.slice(6, 18)}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

// A fixed namespace for this ledger's name-based ids (itself a random UUID, chosen once).
const NAMESPACE = Buffer.from('6f1c2a9e4b7d4e0f9a3c5d8e7b2f1a64', 'hex');

/**
 * RFC 9562 UUIDv5: the same name always gives the same id. Processes that race to record the same
 * thing (a deadline reached) derive the same event id, so the store's idempotent append settles it.
 */
export function uuidv5(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

import { randomFillSync } from 'node:crypto';

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

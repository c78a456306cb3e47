import { DomainError } from '@app/shared-kernel';

/**
 * Lists ordered by (a moment, an id) page with an opaque cursor holding the last pair of the page,
 * so a page never shifts when rows are added before it.
 */
export const encodeKeysetCursor = (at: string, id: string): string => Buffer.from(JSON.stringify([at, id]), 'utf8').toString('base64url');

export function decodeKeysetCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through to the refusal
  }
  throw new DomainError('invalid', 'INVALID_CURSOR', 'The cursor is not one this API gave out.', [{ field: 'cursor', message: 'unknown cursor' }]);
}

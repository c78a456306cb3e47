import { DomainError } from '@app/shared-kernel';

/** `?limit=` of every list (API.md): 1 to 200, default 50. */
export function pageSize(raw: string | undefined): number {
  if (raw === undefined) return 50;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new DomainError('invalid', 'INVALID_LIMIT', 'limit must be a whole number from 1 to 200.', [{ field: 'limit', message: '1 to 200' }]);
  return n;
}

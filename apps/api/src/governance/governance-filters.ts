import { DomainError } from '@app/shared-kernel';

const invalidFilter = (name: string, message: string): DomainError => new DomainError('invalid', 'INVALID_FILTER', `${name} ${message}.`, [{ field: name, message }]);

/** A query parameter left out or empty: no filter. */
export const plain = (raw: string | undefined): string | null => (raw === undefined || raw === '' ? null : raw);

/** A query parameter from a fixed list (400 INVALID_FILTER otherwise). */
export function oneOf<T extends string>(name: string, allowed: readonly T[], raw: string | undefined): T | null {
  const value = plain(raw);
  if (value !== null && !(allowed as readonly string[]).includes(value)) throw invalidFilter(name, `must be one of ${allowed.join(', ')}`);
  return value as T | null;
}

/** `?open=true|false`. */
export function flag(name: string, raw: string | undefined): boolean | null {
  const value = oneOf(name, ['true', 'false'], raw);
  return value === null ? null : value === 'true';
}

/** `?year=2026`: a calendar year, 2000 to 2100. */
export function yearFilter(raw: string | undefined): number | null {
  const value = plain(raw);
  if (value === null) return null;
  if (!/^\d{4}$/.test(value) || Number(value) < 2000 || Number(value) > 2100) throw invalidFilter('year', 'must be a year from 2000 to 2100');
  return Number(value);
}

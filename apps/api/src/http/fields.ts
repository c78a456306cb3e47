import { z } from 'zod';

/** Field shapes shared by every request body, so the same thing is checked the same way everywhere. */
export const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _; at most 64');
/** NUL and unpaired surrogates: JavaScript strings may hold them, PostgreSQL text and jsonb cannot. */
export const storable = (s: string): boolean => !s.includes('\u0000') && !/\p{Cs}/u.test(s);
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(storable, 'must not contain NUL or unpaired surrogate characters');
/**
 * ISO 8601 with an offset (UTC `Z` or e.g. `+08:00`), normalised to UTC, between 1900 and 2999.
 * The offset can carry a time out of years 0001–9999 (`0000-01-01T00:00+23:59` is 1 BC), which
 * JavaScript writes as `-000001-…` or `+010000-…`: PostgreSQL cannot read those, and an event
 * carrying one would stall every read model that stores the time. No business time of this
 * ledger is anywhere near either end.
 */
export const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s).toISOString())
  .refine((s) => s >= '1900-01-01T00:00:00.000Z' && s < '3000-01-01T00:00:00.000Z', 'a time between 1900 and 2999');

/** The little of a response a controller writes headers through. */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}
